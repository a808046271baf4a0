package org.neurostream.inference;

import java.time.Duration;
import org.neurostream.imaging.Volume;

/**
 * A brain mask on the input volume's own grid (voxel values 0 or 1), the brain volume it encloses, how long the
 * whole extraction and the model alone took, and which model made it.
 */
public record BrainExtraction(Volume mask, double brainVolumeMl, Duration elapsed, Duration inference,
        ModelInfo model) {
}
