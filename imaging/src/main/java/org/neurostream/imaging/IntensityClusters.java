package org.neurostream.imaging;

import java.util.Arrays;

/**
 * One-dimensional k-means on the intensities inside a mask: the classic independent tissue labelling of a
 * brain-extracted T1 (CSF darkest, then grey, then white matter). Deterministic: centres start at evenly spaced
 * quantiles and Lloyd iterations run until no centre moves by more than 1e-6 of the range.
 */
public final class IntensityClusters {
    private IntensityClusters() {
    }

    /**
     * Labels 1..k (darkest cluster = 1) for the voxels where {@code mask} is true, 0 elsewhere, as a volume on
     * {@code image}'s grid.
     */
    public static Volume label(Volume image, boolean[] mask, int k) {
        float[] data = image.data();
        int inside = 0;
        for (boolean b : mask) {
            inside += b ? 1 : 0;
        }
        float[] values = new float[inside];
        for (int n = 0, m = 0; n < data.length; n++) {
            if (mask[n]) {
                values[m++] = data[n];
            }
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] centres = new double[k];
        for (int c = 0; c < k; c++) {
            centres[c] = sorted[(int) ((c + 0.5) / k * (sorted.length - 1))];
        }
        double range = Math.max(1e-12, sorted[sorted.length - 1] - sorted[0]);
        for (int iteration = 0; iteration < 200; iteration++) {
            double[] sum = new double[k];
            long[] count = new long[k];
            for (float v : values) {
                int c = nearest(centres, v);
                sum[c] += v;
                count[c]++;
            }
            double moved = 0;
            for (int c = 0; c < k; c++) {
                if (count[c] > 0) {
                    double next = sum[c] / count[c];
                    moved = Math.max(moved, Math.abs(next - centres[c]));
                    centres[c] = next;
                }
            }
            if (moved < 1e-6 * range) {
                break;
            }
        }
        Arrays.sort(centres);
        float[] labels = new float[data.length];
        for (int n = 0; n < data.length; n++) {
            labels[n] = mask[n] ? nearest(centres, data[n]) + 1 : 0;
        }
        return image.withData(labels);
    }

    private static int nearest(double[] centres, double v) {
        int best = 0;
        for (int c = 1; c < centres.length; c++) {
            if (Math.abs(v - centres[c]) < Math.abs(v - centres[best])) {
                best = c;
            }
        }
        return best;
    }
}
