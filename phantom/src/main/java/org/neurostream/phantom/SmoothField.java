package org.neurostream.phantom;

import java.util.Random;

/**
 * A smooth random vector field (mm) over a box: Gaussian random vectors on a coarse control grid, interpolated
 * trilinearly. The control spacing sets how smooth it is; the standard deviation how far it moves things.
 */
final class SmoothField {
    private final double[] min;
    private final double spacing;
    private final int nx;
    private final int ny;
    private final int nz;
    private final double[] vectors;

    SmoothField(double[] min, double[] max, double spacingMm, double sigmaMm, Random random) {
        this.min = min.clone();
        this.spacing = spacingMm;
        this.nx = (int) Math.ceil((max[0] - min[0]) / spacingMm) + 2;
        this.ny = (int) Math.ceil((max[1] - min[1]) / spacingMm) + 2;
        this.nz = (int) Math.ceil((max[2] - min[2]) / spacingMm) + 2;
        this.vectors = new double[nx * ny * nz * 3];
        for (int n = 0; n < vectors.length; n++) {
            vectors[n] = random.nextGaussian() * sigmaMm;
        }
    }

    /** The field at patient point (x, y, z), written into {@code out} (3 components). */
    void at(double x, double y, double z, double[] out) {
        double fx = clamp((x - min[0]) / spacing, nx);
        double fy = clamp((y - min[1]) / spacing, ny);
        double fz = clamp((z - min[2]) / spacing, nz);
        int i = (int) fx;
        int j = (int) fy;
        int k = (int) fz;
        double dx = fx - i;
        double dy = fy - j;
        double dz = fz - k;
        for (int c = 0; c < 3; c++) {
            double v = 0;
            for (int corner = 0; corner < 8; corner++) {
                int a = corner & 1;
                int b = (corner >> 1) & 1;
                int d = (corner >> 2) & 1;
                double w = (a == 1 ? dx : 1 - dx) * (b == 1 ? dy : 1 - dy) * (d == 1 ? dz : 1 - dz);
                v += w * vectors[(((k + d) * ny + (j + b)) * nx + (i + a)) * 3 + c];
            }
            out[c] = v;
        }
    }

    private static double clamp(double f, int n) {
        return Math.max(0, Math.min(n - 1.000001, f));
    }
}
