package org.neurostream.imaging.registration;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.Volume;

/** Gaussian smoothing and the coarse-to-fine levels the registration works on. */
final class ImagePyramid {

    /**
     * One volume per requested spacing (same order as {@code spacingsMm}). Each level keeps the source's centre
     * and axes; an axis already coarser than the requested spacing (thick slices) keeps its own spacing. Levels
     * are built fine to coarse, each from the previous one, smoothing with the extra Gaussian blur needed to reach
     * sigma = spacing / 2 so that downsampling does not alias.
     */
    static List<Volume> build(Volume source, double[] spacingsMm) {
        Integer[] order = new Integer[spacingsMm.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(spacingsMm[a], spacingsMm[b]));
        Volume[] levels = new Volume[spacingsMm.length];
        Volume previous = source;
        for (int index : order) {
            previous = coarsen(previous, spacingsMm[index]);
            levels[index] = previous;
        }
        return new ArrayList<>(List.of(levels));
    }

    private static Volume coarsen(Volume previous, double spacingMm) {
        double[] from = previous.spacing();
        int[] dims = {previous.nx(), previous.ny(), previous.nz()};
        double[] to = new double[3];
        double[] sigmaVoxels = new double[3];
        int[] newDims = new int[3];
        boolean changes = false;
        for (int a = 0; a < 3; a++) {
            to[a] = Math.max(spacingMm, from[a]);
            // Within 1% counts as the same grid: no resampling, no blur.
            if (to[a] > from[a] * 1.01) {
                changes = true;
                sigmaVoxels[a] = 0.5 * Math.sqrt(to[a] * to[a] - from[a] * from[a]) / from[a];
                newDims[a] = Math.max(1, (int) Math.round(dims[a] * from[a] / to[a]));
            } else {
                to[a] = from[a];
                newDims[a] = dims[a];
            }
        }
        if (!changes) {
            return previous;
        }
        return Resampler.resampleCentred(smooth(previous, sigmaVoxels), newDims, to);
    }

    /** Separable Gaussian blur with per-axis sigma in voxels (0 leaves an axis alone). */
    static Volume smooth(Volume volume, double[] sigmaVoxels) {
        float[] data = volume.data();
        int[] dims = {volume.nx(), volume.ny(), volume.nz()};
        for (int a = 0; a < 3; a++) {
            if (sigmaVoxels[a] > 0.05 && dims[a] > 1) {
                data = smoothAxis(data, dims, a, kernel(sigmaVoxels[a]));
            }
        }
        return data == volume.data() ? volume : volume.withData(data);
    }

    private static double[] kernel(double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        for (int t = -radius; t <= radius; t++) {
            k[t + radius] = Math.exp(-0.5 * t * t / (sigma * sigma));
        }
        return k;
    }

    /**
     * One axis of the blur into a new array. Works a whole image row (along x) at a time, adding weighted
     * neighbouring rows for y and z, so memory is read in order whatever the axis. Rows are independent and each
     * is computed identically on any thread: deterministic.
     */
    private static float[] smoothAxis(float[] in, int[] dims, int axis, double[] kernel) {
        int nx = dims[0];
        int ny = dims[1];
        int length = dims[axis];
        int stride = axis == 0 ? 1 : axis == 1 ? nx : nx * ny;
        int radius = kernel.length / 2;
        double[] totals = insideWeights(kernel, length);
        float[] out = new float[in.length];
        IntStream.range(0, ny * dims[2]).parallel().forEach(row -> {
            int rowStart = row * nx;
            double[] sum = new double[nx];
            if (axis == 0) {
                for (int i = 0; i < nx; i++) {
                    int lo = Math.max(0, i - radius);
                    int hi = Math.min(nx - 1, i + radius);
                    double s = 0;
                    for (int u = lo; u <= hi; u++) {
                        s += kernel[u - i + radius] * in[rowStart + u];
                    }
                    sum[i] = s / totals[i];
                }
            } else {
                int position = axis == 1 ? row % ny : row / ny;
                int lo = Math.max(0, position - radius);
                int hi = Math.min(length - 1, position + radius);
                for (int u = lo; u <= hi; u++) {
                    double w = kernel[u - position + radius];
                    int from = rowStart + (u - position) * stride;
                    for (int i = 0; i < nx; i++) {
                        sum[i] += w * in[from + i];
                    }
                }
                double total = totals[position];
                for (int i = 0; i < nx; i++) {
                    sum[i] /= total;
                }
            }
            for (int i = 0; i < nx; i++) {
                out[rowStart + i] = (float) sum[i];
            }
        });
        return out;
    }

    /** For each position, the sum of the taps inside the line: normalising by it keeps edges from darkening. */
    private static double[] insideWeights(double[] kernel, int length) {
        int radius = kernel.length / 2;
        double[] totals = new double[length];
        for (int p = 0; p < length; p++) {
            for (int u = Math.max(0, p - radius); u <= Math.min(length - 1, p + radius); u++) {
                totals[p] += kernel[u - p + radius];
            }
        }
        return totals;
    }

    private ImagePyramid() {
    }
}
