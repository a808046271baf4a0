package org.neurostream.imaging;

import java.util.stream.IntStream;
import org.neurostream.imaging.registration.RigidTransform;

/** Resampling of volumes onto model grids and, through a rigid transform, onto another volume's grid. */
public final class Resampler {
    /**
     * Resamples {@code source} onto a grid of {@code dims} voxels of {@code spacing} mm, with the source's axis
     * directions, centred on the source's centre. Trilinear interpolation; points outside the source are 0.
     */
    public static Volume resampleCentred(Volume source, int[] dims, double[] spacing) {
        return resampleCentred(source, dims, spacing, false);
    }

    /**
     * As {@link #resampleCentred}, except that along each axis whose target spacing equals the source's, the grid is
     * moved by less than half a voxel so that its voxel centres fall on the source's: such axes are copied, not
     * interpolated. Exact centring would put a 256-voxel grid over a 181-voxel image half-way between source voxels,
     * blurring every value with its neighbour and shifting anything mapped back by nearest neighbour by up to a
     * voxel; for a convolutional model, where the volume sits within the grid does not matter.
     */
    public static Volume resampleCentredOnVoxels(Volume source, int[] dims, double[] spacing) {
        return resampleCentred(source, dims, spacing, true);
    }

    private static Volume resampleCentred(Volume source, int[] dims, double[] spacing, boolean onSourceVoxels) {
        if (dims.length != 3 || spacing.length != 3) {
            throw new IllegalArgumentException("dims and spacing need 3 values");
        }
        double[] sourceSpacing = source.spacing();
        // The target shares the source's axes, so each target index maps to a source index along the same axis:
        // the mapping is separable and we precompute one table of weights per axis.
        double[] sourceCentreIndex = {(source.nx() - 1) / 2.0, (source.ny() - 1) / 2.0, (source.nz() - 1) / 2.0};
        AxisSamples[] axes = new AxisSamples[3];
        int[] sourceDims = {source.nx(), source.ny(), source.nz()};
        double[] firstIndex = new double[3];
        for (int a = 0; a < 3; a++) {
            double step = spacing[a] / sourceSpacing[a];
            double first = sourceCentreIndex[a] - step * (dims[a] - 1) / 2.0;
            if (onSourceVoxels && Math.abs(step - 1) < 1e-9) {
                first = Math.floor(first + 0.5);
            }
            firstIndex[a] = first;
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
        // The target's first voxel is the source's point at firstIndex (fractional source indices).
        double[] origin = source.toPatient(firstIndex[0], firstIndex[1], firstIndex[2]);
        return new Volume(dims[0], dims[1], dims[2], spacing, origin, source.direction(), out);
    }

    /**
     * Resamples {@code moving} onto {@code fixed}'s grid (dimensions, spacing, origin, directions): each fixed
     * voxel at patient point p takes the moving image's value at {@code fixedToMoving.apply(p)}. Trilinear
     * interpolation; points outside the moving image are 0. The fixed volume's voxel values are not used.
     */
    public static Volume resampleOnto(Volume moving, Volume fixed, RigidTransform fixedToMoving) {
        return resampleOnto(moving, fixed, fixedToMoving, false);
    }

    /** As {@link #resampleOnto} with nearest-neighbour interpolation, for label images and masks. */
    public static Volume resampleOntoNearest(Volume moving, Volume fixed, RigidTransform fixedToMoving) {
        return resampleOnto(moving, fixed, fixedToMoving, true);
    }

    private static Volume resampleOnto(Volume moving, Volume fixed, RigidTransform fixedToMoving, boolean nearest) {
        double[] m = voxelMapping(fixed, moving, fixedToMoving);
        int nx = fixed.nx();
        int ny = fixed.ny();
        float[] out = new float[fixed.voxelCount()];
        // Slices are independent and each voxel is computed the same way on any thread: deterministic.
        IntStream.range(0, fixed.nz()).parallel().forEach(k -> {
            int n = k * nx * ny;
            for (int j = 0; j < ny; j++) {
                double x = m[1] * j + m[2] * k + m[9];
                double y = m[4] * j + m[5] * k + m[10];
                double z = m[7] * j + m[8] * k + m[11];
                for (int i = 0; i < nx; i++, n++) {
                    double xi = x + m[0] * i;
                    double yi = y + m[3] * i;
                    double zi = z + m[6] * i;
                    out[n] = (float) (nearest ? nearest(moving, xi, yi, zi) : trilinear(moving, xi, yi, zi));
                }
            }
        });
        return fixed.withData(out);
    }

    /**
     * The affine map from continuous voxel indices of {@code fixed} to continuous voxel indices of {@code moving}
     * through {@code fixedToMoving}: {A (row-major 3x3), c}, with moving index = A * fixed index + c.
     */
    public static double[] voxelMapping(Volume fixed, Volume moving, RigidTransform fixedToMoving) {
        // The chain voxel -> patient -> transform -> voxel is affine, so its image of the origin and of the three
        // unit vectors determines it.
        double[] c = toVoxel(moving, fixedToMoving.apply(fixed.toPatient(0, 0, 0)));
        double[] m = new double[12];
        for (int a = 0; a < 3; a++) {
            double[] p = fixed.toPatient(a == 0 ? 1 : 0, a == 1 ? 1 : 0, a == 2 ? 1 : 0);
            double[] v = toVoxel(moving, fixedToMoving.apply(p));
            for (int r = 0; r < 3; r++) {
                m[3 * r + a] = v[r] - c[r];
            }
        }
        m[9] = c[0];
        m[10] = c[1];
        m[11] = c[2];
        return m;
    }

    private static double[] toVoxel(Volume volume, double[] p) {
        return volume.toVoxel(p[0], p[1], p[2]);
    }

    /** Trilinear value at a continuous voxel position; the image is taken as 0 outside its voxels. */
    public static double trilinear(Volume volume, double x, double y, double z) {
        int nx = volume.nx();
        int ny = volume.ny();
        int nz = volume.nz();
        // Beyond one voxel outside, every neighbour is outside (also rejects NaN).
        if (!(x > -1 && y > -1 && z > -1 && x < nx && y < ny && z < nz)) {
            return 0;
        }
        // Chains of voxel/patient/transform arithmetic land ~1e-13 off grid points; snapping keeps whole-voxel
        // moves exact instead of leaking a 1e-13 share of a neighbour (or of the zero outside).
        x = snap(x);
        y = snap(y);
        z = snap(z);
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int z0 = (int) Math.floor(z);
        double fx = x - x0;
        double fy = y - y0;
        double fz = z - z0;
        float[] d = volume.data();
        int nxy = nx * ny;
        int base = x0 + nx * y0 + nxy * z0;
        if (x0 >= 0 && y0 >= 0 && z0 >= 0 && x0 + 1 < nx && y0 + 1 < ny && z0 + 1 < nz) {
            double c00 = d[base] + fx * (d[base + 1] - d[base]);
            double c10 = d[base + nx] + fx * (d[base + nx + 1] - d[base + nx]);
            double c01 = d[base + nxy] + fx * (d[base + nxy + 1] - d[base + nxy]);
            double c11 = d[base + nxy + nx] + fx * (d[base + nxy + nx + 1] - d[base + nxy + nx]);
            double c0 = c00 + fy * (c10 - c00);
            double c1 = c01 + fy * (c11 - c01);
            return c0 + fz * (c1 - c0);
        }
        // At the border: sum only the neighbours inside, so the image fades to 0 over the last voxel.
        double sum = 0;
        for (int c = 0; c < 2; c++) {
            int zz = z0 + c;
            if (zz < 0 || zz >= nz) {
                continue;
            }
            double wz = c == 0 ? 1 - fz : fz;
            for (int b = 0; b < 2; b++) {
                int yy = y0 + b;
                if (yy < 0 || yy >= ny) {
                    continue;
                }
                double wy = b == 0 ? 1 - fy : fy;
                for (int a = 0; a < 2; a++) {
                    int xx = x0 + a;
                    if (xx >= 0 && xx < nx) {
                        sum += (a == 0 ? 1 - fx : fx) * wy * wz * d[xx + nx * yy + nxy * zz];
                    }
                }
            }
        }
        return sum;
    }

    private static double snap(double position) {
        double grid = Math.rint(position);
        return Math.abs(position - grid) < 1e-6 ? grid : position;
    }

    /** Value of the voxel nearest a continuous voxel position, 0 outside the image. */
    public static double nearest(Volume volume, double x, double y, double z) {
        // Written as a positive test so NaN positions also land outside.
        if (!(x >= -0.5 && y >= -0.5 && z >= -0.5 && x < volume.nx() - 0.5 && y < volume.ny() - 0.5
                && z < volume.nz() - 0.5)) {
            return 0;
        }
        return volume.get((int) Math.floor(x + 0.5), (int) Math.floor(y + 0.5), (int) Math.floor(z + 0.5));
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
