package org.neurostream.imaging;

/** Resampling of volumes onto model grids. */
public final class Resampler {
    /**
     * Resamples {@code source} onto a grid of {@code dims} voxels of {@code spacing} mm, with the source's axis
     * directions, centred on the source's centre. Trilinear interpolation; points outside the source are 0.
     */
    public static Volume resampleCentred(Volume source, int[] dims, double[] spacing) {
        if (dims.length != 3 || spacing.length != 3) {
            throw new IllegalArgumentException("dims and spacing need 3 values");
        }
        double[] sourceSpacing = source.spacing();
        double[] centre = source.centre();
        // The target shares the source's axes, so each target index maps to a source index along the same axis:
        // the mapping is separable and we precompute one table of weights per axis.
        double[] sourceCentreIndex = {(source.nx() - 1) / 2.0, (source.ny() - 1) / 2.0, (source.nz() - 1) / 2.0};
        AxisSamples[] axes = new AxisSamples[3];
        int[] sourceDims = {source.nx(), source.ny(), source.nz()};
        for (int a = 0; a < 3; a++) {
            double step = spacing[a] / sourceSpacing[a];
            double first = sourceCentreIndex[a] - step * (dims[a] - 1) / 2.0;
            axes[a] = new AxisSamples(dims[a], first, step, sourceDims[a]);
        }
        float[] out = new float[dims[0] * dims[1] * dims[2]];
        float[] in = source.data();
        int sx = source.nx();
        int sxy = source.nx() * source.ny();
        int n = 0;
        for (int k = 0; k < dims[2]; k++) {
            for (int j = 0; j < dims[1]; j++) {
                for (int i = 0; i < dims[0]; i++) {
                    out[n++] = (float) interpolate(in, sx, sxy, axes[0], i, axes[1], j, axes[2], k);
                }
            }
        }
        double[] direction = source.direction();
        double[] origin = new double[3];
        for (int r = 0; r < 3; r++) {
            origin[r] = centre[r];
            for (int a = 0; a < 3; a++) {
                origin[r] -= direction[3 * r + a] * spacing[a] * (dims[a] - 1) / 2.0;
            }
        }
        return new Volume(dims[0], dims[1], dims[2], spacing, origin, direction, out);
    }

    private static double interpolate(float[] in, int sx, int sxy, AxisSamples ax, int i, AxisSamples ay, int j,
            AxisSamples az, int k) {
        double sum = 0;
        for (int c = 0; c < 2; c++) {
            int z = az.index[k] + c;
            double wz = c == 0 ? 1 - az.fraction[k] : az.fraction[k];
            if (wz == 0 || !az.inside(z)) {
                continue;
            }
            for (int b = 0; b < 2; b++) {
                int y = ay.index[j] + b;
                double wy = b == 0 ? 1 - ay.fraction[j] : ay.fraction[j];
                if (wy == 0 || !ay.inside(y)) {
                    continue;
                }
                int row = z * sxy + y * sx;
                for (int a = 0; a < 2; a++) {
                    int x = ax.index[i] + a;
                    double wx = a == 0 ? 1 - ax.fraction[i] : ax.fraction[i];
                    if (wx != 0 && ax.inside(x)) {
                        sum += wx * wy * wz * in[row + x];
                    }
                }
            }
        }
        return sum;
    }

    /** Lower source index and interpolation fraction for every target index along one axis (zero padding). */
    private static final class AxisSamples {
        final int[] index;
        final double[] fraction;
        final int sourceSize;

        AxisSamples(int count, double first, double step, int sourceSize) {
            this.sourceSize = sourceSize;
            index = new int[count];
            fraction = new double[count];
            for (int t = 0; t < count; t++) {
                double position = first + t * step;
                int lower = (int) Math.floor(position);
                index[t] = lower;
                fraction[t] = position - lower;
            }
        }

        boolean inside(int sourceIndex) {
            return sourceIndex >= 0 && sourceIndex < sourceSize;
        }
    }

    private Resampler() {
    }
}
