package org.neurostream.imaging;

import java.util.Arrays;

/**
 * A scalar 3D image in DICOM patient coordinates (LPS, millimetres).
 *
 * <p>Voxel (i, j, k) is stored at {@code data[i + nx * (j + ny * k)]}: i runs along the row direction (across a
 * row of a slice, DICOM's first orientation vector), j along the column direction, k along the slice normal.
 * {@code direction} holds the three unit axis vectors as columns, row-major 3x3: axis a is
 * (direction[a], direction[3 + a], direction[6 + a]). The patient position of voxel (i, j, k) is
 * {@code origin + D * diag(spacing) * (i, j, k)}.
 */
public final class Volume {
    private final int nx;
    private final int ny;
    private final int nz;
    private final double[] spacing;
    private final double[] origin;
    private final double[] direction;
    private final float[] data;

    public Volume(int nx, int ny, int nz, double[] spacing, double[] origin, double[] direction, float[] data) {
        if (nx <= 0 || ny <= 0 || nz <= 0) {
            throw new IllegalArgumentException("dimensions must be positive: " + nx + "x" + ny + "x" + nz);
        }
        if (spacing.length != 3 || origin.length != 3 || direction.length != 9) {
            throw new IllegalArgumentException("spacing and origin need 3 values, direction 9");
        }
        if ((long) nx * ny * nz != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " voxels, dimensions say "
                    + (long) nx * ny * nz);
        }
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.spacing = spacing.clone();
        this.origin = origin.clone();
        this.direction = direction.clone();
        this.data = data;
    }

    /** An axis-aligned (identity direction) volume filled with zeros. */
    public static Volume zeros(int nx, int ny, int nz, double[] spacing, double[] origin) {
        return new Volume(nx, ny, nz, spacing, origin, identity(), new float[nx * ny * nz]);
    }

    public static double[] identity() {
        return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }

    /** A volume with the same geometry and new voxel values. */
    public Volume withData(float[] newData) {
        return new Volume(nx, ny, nz, spacing, origin, direction, newData);
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    public int voxelCount() {
        return data.length;
    }

    public double[] spacing() {
        return spacing.clone();
    }

    public double[] origin() {
        return origin.clone();
    }

    public double[] direction() {
        return direction.clone();
    }

    /** The voxel values, not a copy: callers that change them own the volume. */
    public float[] data() {
        return data;
    }

    public int index(int i, int j, int k) {
        return i + nx * (j + ny * k);
    }

    public float get(int i, int j, int k) {
        return data[index(i, j, k)];
    }

    public void set(int i, int j, int k, float value) {
        data[index(i, j, k)] = value;
    }

    /** Patient coordinates (mm) of a continuous voxel position. */
    public double[] toPatient(double i, double j, double k) {
        double a = i * spacing[0];
        double b = j * spacing[1];
        double c = k * spacing[2];
        return new double[] {
            origin[0] + direction[0] * a + direction[1] * b + direction[2] * c,
            origin[1] + direction[3] * a + direction[4] * b + direction[5] * c,
            origin[2] + direction[6] * a + direction[7] * b + direction[8] * c,
        };
    }

    /** Continuous voxel position of a patient point (the inverse of {@link #toPatient}; D is orthonormal). */
    public double[] toVoxel(double x, double y, double z) {
        double dx = x - origin[0];
        double dy = y - origin[1];
        double dz = z - origin[2];
        return new double[] {
            (direction[0] * dx + direction[3] * dy + direction[6] * dz) / spacing[0],
            (direction[1] * dx + direction[4] * dy + direction[7] * dz) / spacing[1],
            (direction[2] * dx + direction[5] * dy + direction[8] * dz) / spacing[2],
        };
    }

    /** Patient coordinates of the volume's centre. */
    public double[] centre() {
        return toPatient((nx - 1) / 2.0, (ny - 1) / 2.0, (nz - 1) / 2.0);
    }

    @Override
    public String toString() {
        return "Volume[" + nx + "x" + ny + "x" + nz + " spacing " + Arrays.toString(spacing) + "]";
    }
}
