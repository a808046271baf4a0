package org.neurostream.imaging;

import java.util.Arrays;

/** Intensity normalisation for model inputs. */
public final class IntensityNormalizer {
    /**
     * Maps the {@code lowPercentile}..{@code highPercentile} range (0..100) of the voxel values to 0..1 and clamps
     * outside it. A volume whose two percentiles coincide maps to all zeros.
     */
    public static Volume percentileScale(Volume volume, double lowPercentile, double highPercentile) {
        if (!(0 <= lowPercentile && lowPercentile < highPercentile && highPercentile <= 100)) {
            throw new IllegalArgumentException("need 0 <= low < high <= 100, got " + lowPercentile + ", "
                    + highPercentile);
        }
        float[] sorted = volume.data().clone();
        Arrays.sort(sorted);
        double low = percentile(sorted, lowPercentile);
        double high = percentile(sorted, highPercentile);
        double range = high - low;
        float[] in = volume.data();
        float[] out = new float[in.length];
        if (range > 0) {
            for (int n = 0; n < in.length; n++) {
                double scaled = (in[n] - low) / range;
                out[n] = (float) Math.min(1.0, Math.max(0.0, scaled));
            }
        }
        return volume.withData(out);
    }

    /** Linear interpolation between order statistics (the common "type 7" definition). */
    static double percentile(float[] sorted, double percent) {
        double position = percent / 100.0 * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        double fraction = position - lower;
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
    }

    private IntensityNormalizer() {
    }
}
