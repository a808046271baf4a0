package org.neurostream.imaging.registration;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.Volume;

/**
 * Normalised cross-correlation between a fixed image, sampled once at a fixed set of points, and a moving image
 * sampled (trilinear, 0 outside) at the transformed points.
 */
final class NccMetric {
    /** Fixed number of partial sums, so the floating-point summation order never depends on threads. */
    private static final int CHUNKS = 64;

    private final Volume fixed;
    private final Volume moving;
    /** Sample positions as continuous voxel indices of {@code fixed}. */
    private final double[] xs;
    private final double[] ys;
    private final double[] zs;
    /** Fixed values at the samples minus their mean. */
    private final double[] fixedCentred;
    private final double fixedSumSquares;

    private NccMetric(Volume fixed, Volume moving, double[] xs, double[] ys, double[] zs, double[] fixedValues) {
        this.fixed = fixed;
        this.moving = moving;
        this.xs = xs;
        this.ys = ys;
        this.zs = zs;
        double mean = 0;
        for (double v : fixedValues) {
            mean += v;
        }
        mean /= fixedValues.length;
        double squares = 0;
        fixedCentred = new double[fixedValues.length];
        for (int n = 0; n < fixedValues.length; n++) {
            fixedCentred[n] = fixedValues[n] - mean;
            squares += fixedCentred[n] * fixedCentred[n];
        }
        fixedSumSquares = squares;
    }

    /**
     * Samples the fixed grid: every voxel inside {@code mask} (any geometry; nonzero = inside; null = all), or a
     * seeded random subset of {@code maxSamples} of them. Each sample is jittered uniformly within its voxel:
     * grid-aligned samples would make trilinear interpolation favour whole-voxel shifts.
     */
    static NccMetric sample(Volume fixed, Volume moving, Volume mask, int maxSamples, long seed) {
        int[] candidates = candidates(fixed, mask);
        if (candidates.length == 0) {
            throw new IllegalArgumentException("the fixed-image mask leaves no voxels to compare");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int count = Math.min(maxSamples, candidates.length);
        if (count < candidates.length) {
            // Partial Fisher-Yates: the first count entries become a uniform subset without repeats.
            for (int n = 0; n < count; n++) {
                int pick = n + random.nextInt(candidates.length - n);
                int swap = candidates[n];
                candidates[n] = candidates[pick];
                candidates[pick] = swap;
            }
            // Memory order: neighbouring samples then read neighbouring voxels of both images (fewer cache
            // misses than random order on large images).
            Arrays.sort(candidates, 0, count);
        }
        double[] xs = new double[count];
        double[] ys = new double[count];
        double[] zs = new double[count];
        double[] values = new double[count];
        int nx = fixed.nx();
        int nxy = fixed.nx() * fixed.ny();
        for (int n = 0; n < count; n++) {
            int index = candidates[n];
            xs[n] = jitter(index % nx, fixed.nx(), random);
            ys[n] = jitter((index % nxy) / nx, fixed.ny(), random);
            zs[n] = jitter(index / nxy, fixed.nz(), random);
            values[n] = Resampler.trilinear(fixed, xs[n], ys[n], zs[n]);
        }
        return new NccMetric(fixed, moving, xs, ys, zs, values);
    }

    private static double jitter(int index, int size, SplittableRandom random) {
        if (size == 1) {
            return 0;
        }
        return Math.max(0, Math.min(size - 1, index + random.nextDouble() - 0.5));
    }

    private static int[] candidates(Volume fixed, Volume mask) {
        int total = fixed.voxelCount();
        if (mask == null) {
            return IntStream.range(0, total).toArray();
        }
        double[] m = Resampler.voxelMapping(fixed, mask, RigidTransform.identity(new double[3]));
        int nx = fixed.nx();
        int ny = fixed.ny();
        // An ordered stream: toArray keeps index order even in parallel.
        return IntStream.range(0, total).parallel().filter(index -> {
            int i = index % nx;
            int j = (index / nx) % ny;
            int k = index / (nx * ny);
            double x = m[0] * i + m[1] * j + m[2] * k + m[9];
            double y = m[3] * i + m[4] * j + m[5] * k + m[10];
            double z = m[6] * i + m[7] * j + m[8] * k + m[11];
            return Resampler.nearest(mask, x, y, z) != 0;
        }).toArray();
    }

    int sampleCount() {
        return xs.length;
    }

    /** NCC in [-1, 1] for the fixed → moving transform; 0 when either side is constant. */
    double evaluate(RigidTransform fixedToMoving) {
        double[] m = Resampler.voxelMapping(fixed, moving, fixedToMoving);
        int count = xs.length;
        double[] partial = new double[3 * CHUNKS];
        IntStream.range(0, CHUNKS).parallel().forEach(chunk -> {
            int from = (int) ((long) count * chunk / CHUNKS);
            int to = (int) ((long) count * (chunk + 1) / CHUNKS);
            double sum = 0;
            double squares = 0;
            double cross = 0;
            for (int n = from; n < to; n++) {
                double x = m[0] * xs[n] + m[1] * ys[n] + m[2] * zs[n] + m[9];
                double y = m[3] * xs[n] + m[4] * ys[n] + m[5] * zs[n] + m[10];
                double z = m[6] * xs[n] + m[7] * ys[n] + m[8] * zs[n] + m[11];
                double v = Resampler.trilinear(moving, x, y, z);
                sum += v;
                squares += v * v;
                cross += v * fixedCentred[n];
            }
            partial[3 * chunk] = sum;
            partial[3 * chunk + 1] = squares;
            partial[3 * chunk + 2] = cross;
        });
        double sum = 0;
        double squares = 0;
        double cross = 0;
        for (int chunk = 0; chunk < CHUNKS; chunk++) {
            sum += partial[3 * chunk];
            squares += partial[3 * chunk + 1];
            cross += partial[3 * chunk + 2];
        }
        // The fixed values are centred, so cross already equals the centred cross-product.
        double movingVariance = squares - sum * sum / count;
        double denominator = Math.sqrt(fixedSumSquares * movingVariance);
        return denominator > 0 ? cross / denominator : 0;
    }
}
