package org.neurostream.inference;

import java.util.List;
import org.neurostream.imaging.IntensityNormalizer;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.registration.RigidTransform;
import org.neurostream.imaging.Volume;

/**
 * Turns one visit's volume into a change-classifier input. Serving and training both use this class, with the
 * numbers from the model card, so the model always sees what it was trained on.
 */
public final class ChangeClassifierPreprocessing {
    /** What the current change classifier is trained with; written into its model card. */
    public static final ModelCard.Preprocessing STANDARD = new ModelCard.Preprocessing(List.of(48, 48, 48),
            List.of(4.0, 4.0, 4.0), "Resampler.resampleCentred: trilinear onto a grid centred on the volume centre,"
                    + " in the volume's own axis directions",
            1, 99, "IntensityNormalizer.percentileScale: the 1st..99th percentile mapped to 0..1, clamped");

    private final ModelCard.Preprocessing spec;
    private final int[] gridSize;
    private final double[] spacing;

    public ChangeClassifierPreprocessing(ModelCard.Preprocessing spec) {
        if (spec.gridSize().size() != 3 || spec.spacingMm().size() != 3) {
            throw new IllegalArgumentException("preprocessing needs a 3D grid size and spacing: " + spec);
        }
        this.spec = spec;
        this.gridSize = spec.gridSize().stream().mapToInt(Integer::intValue).toArray();
        this.spacing = spec.spacingMm().stream().mapToDouble(Double::doubleValue).toArray();
    }

    public static ChangeClassifierPreprocessing standard() {
        return new ChangeClassifierPreprocessing(STANDARD);
    }

    public ModelCard.Preprocessing spec() {
        return spec;
    }

    /** Grid size as (nx, ny, nz); the model input is [N, nz, ny, nx, 1] (NDHWC). */
    public int[] gridSize() {
        return gridSize.clone();
    }

    public int voxelCount() {
        return gridSize[0] * gridSize[1] * gridSize[2];
    }

    public Volume prepare(Volume volume) {
        return normalise(resample(volume));
    }

    /** The first step on its own (the processor times each step). */
    public Volume resample(Volume volume) {
        return Resampler.resampleCentred(volume, gridSize, spacing);
    }

    /**
     * The first step for a registered pair: the baseline onto the model grid, and the follow-up through the
     * registration straight onto that same grid, so each visit is interpolated once.
     */
    public Volume[] resampleRegistered(Volume baseline, Volume followUp, RigidTransform baselineToFollowUp) {
        Volume grid = resample(baseline);
        return new Volume[] {grid, Resampler.resampleOnto(followUp, grid, baselineToFollowUp)};
    }

    /** The second step on its own: intensities as the model card says. */
    public Volume normalise(Volume resampled) {
        return IntensityNormalizer.percentileScale(resampled, spec.lowPercentile(), spec.highPercentile());
    }

    /** The prepared voxels, i fastest: exactly the memory order of one [nz, ny, nx, 1] model input. */
    public float[] prepareArray(Volume volume) {
        return prepare(volume).data();
    }
}
