package org.neurostream.imaging.morphology;

import org.neurostream.imaging.Volume;

/**
 * Exact squared Euclidean distance (mm²) from every voxel to the nearest voxel of a set, by the separable
 * lower-envelope-of-parabolas method of Felzenszwalb and Huttenlocher ("Distance Transforms of Sampled Functions",
 * Theory of Computing 8, 2012), one pass per axis with that axis's spacing. Voxels in the set get 0; with an empty
 * set every distance is infinite.
 */
public final class DistanceTransform {
    private DistanceTransform() {
    }

    public static float[] squaredMm(boolean[] set, Volume grid) {
        int nx = grid.nx();
        int ny = grid.ny();
        int nz = grid.nz();
        double[] spacing = grid.spacing();
        double[] f = new double[set.length];
        for (int n = 0; n < set.length; n++) {
            f[n] = set[n] ? 0 : Double.POSITIVE_INFINITY;
        }
        int longest = Math.max(nx, Math.max(ny, nz));
        Scratch scratch = new Scratch(longest);
        // Axis i: stride 1; axis j: stride nx; axis k: stride nx*ny.
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                pass(f, (k * ny + j) * nx, 1, nx, spacing[0], scratch);
            }
        }
        for (int k = 0; k < nz; k++) {
            for (int i = 0; i < nx; i++) {
                pass(f, k * ny * nx + i, nx, ny, spacing[1], scratch);
            }
        }
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                pass(f, j * nx + i, nx * ny, nz, spacing[2], scratch);
            }
        }
        float[] out = new float[f.length];
        for (int n = 0; n < f.length; n++) {
            out[n] = (float) f[n];
        }
        return out;
    }

    private static final class Scratch {
        final double[] line;
        final double[] result;
        final int[] vertex;
        final double[] boundary;

        Scratch(int n) {
            line = new double[n];
            result = new double[n];
            vertex = new int[n];
            boundary = new double[n + 1];
        }
    }

    /** One 1-D transform along a line of {@code n} samples {@code stride} apart, {@code h} mm between them. */
    private static void pass(double[] f, int start, int stride, int n, double h, Scratch s) {
        double[] line = s.line;
        for (int q = 0; q < n; q++) {
            line[q] = f[start + q * stride];
        }
        double h2 = h * h;
        int k = -1;
        for (int q = 0; q < n; q++) {
            if (line[q] == Double.POSITIVE_INFINITY) {
                continue;
            }
            // Parabola at q: h²(x - q)² + line[q]; drop those it hides from the envelope.
            while (k >= 0) {
                int p = s.vertex[k];
                double meet = ((line[q] + h2 * q * q) - (line[p] + h2 * p * p)) / (2 * h2 * (q - p));
                if (meet <= s.boundary[k]) {
                    k--;
                } else {
                    s.vertex[++k] = q;
                    s.boundary[k] = meet;
                    break;
                }
            }
            if (k < 0) {
                s.vertex[0] = q;
                s.boundary[0] = Double.NEGATIVE_INFINITY;
                k = 0;
            }
        }
        if (k < 0) {
            return; // no finite sample on this line: stays infinite
        }
        int j = 0;
        for (int q = 0; q < n; q++) {
            while (j < k && s.boundary[j + 1] < q) {
                j++;
            }
            int p = s.vertex[j];
            s.result[q] = h2 * (q - p) * (q - p) + line[p];
        }
        for (int q = 0; q < n; q++) {
            f[start + q * stride] = s.result[q];
        }
    }
}
