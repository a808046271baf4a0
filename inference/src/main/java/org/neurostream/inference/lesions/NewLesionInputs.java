package org.neurostream.inference.lesions;

import java.util.Arrays;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.registration.RigidTransform;

/**
 * How two FLAIR visits become the new-lesion segmenter's input, the same in training, evaluation and the processor:
 * the baseline is resampled (trilinear) onto the follow-up's own grid through the registration, so the answer lies
 * on the grid the radiologist reads and the follow-up is never interpolated; each visit is then divided by its own
 * {@link #scale}, which puts normal-appearing tissue near 1 whatever the scanner's gain.
 */
public final class NewLesionInputs {
    /** Voxels brighter than this fraction of the mean are the head (FLAIR background is dark). */
    static final double FOREGROUND_OF_MEAN = 1.0;

    private NewLesionInputs() {
    }

    /** The baseline on the follow-up's grid, given the transform that maps baseline points to follow-up points. */
    public static Volume baselineOnFollowUp(Volume baseline, Volume followUp, RigidTransform baselineToFollowUp) {
        return Resampler.resampleOnto(baseline, followUp, baselineToFollowUp.inverse());
    }

    /**
     * The median intensity of the head (voxels above the volume's mean): mostly white and grey matter, so it moves
     * with the scanner's gain and drift but hardly with a few lesions.
     */
    public static double scale(Volume flair) {
        float[] v = flair.data();
        double sum = 0;
        for (float x : v) {
            sum += x;
        }
        double threshold = FOREGROUND_OF_MEAN * sum / v.length;
        float[] head = new float[v.length];
        int count = 0;
        for (float x : v) {
            if (x > threshold) {
                head[count++] = x;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("the FLAIR volume is blank (no voxel above its mean)");
        }
        Arrays.sort(head, 0, count);
        return head[count / 2];
    }

    /** {@code flair} divided by its {@link #scale}. */
    public static float[] normalised(Volume flair) {
        float factor = (float) (1 / scale(flair));
        float[] v = flair.data();
        float[] out = new float[v.length];
        for (int n = 0; n < v.length; n++) {
            out[n] = v[n] * factor;
        }
        return out;
    }
}
