package org.neurostream.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads a single-volume NIfTI-1 file (.nii or .nii.gz) into a {@link Volume} in LPS patient coordinates. NIfTI is
 * how the reference anatomies we test against are published (Colin27 in Debian's {@code mricron-data}); DICOM stays
 * the product's input. The sform is used when present, else the qform, else the voxel sizes alone.
 */
public final class NiftiReader {
    private static final int HEADER_SIZE = 348;

    public static Volume read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            InputStream source = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
            bytes = source.readAllBytes();
        }
        return parse(bytes, file.toString());
    }

    static Volume parse(byte[] bytes, String name) throws IOException {
        if (bytes.length < HEADER_SIZE) {
            throw new IOException(name + ": too short for a NIfTI-1 header");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (header.getInt(0) != HEADER_SIZE) {
            header.order(ByteOrder.BIG_ENDIAN);
            if (header.getInt(0) != HEADER_SIZE) {
                throw new IOException(name + ": not a NIfTI-1 file (sizeof_hdr is not 348)");
            }
        }
        int rank = header.getShort(40);
        int nx = header.getShort(42);
        int ny = rank >= 2 ? header.getShort(44) : 1;
        int nz = rank >= 3 ? header.getShort(46) : 1;
        int nt = rank >= 4 ? header.getShort(48) : 1;
        if (rank < 1 || rank > 7 || nx <= 0 || ny <= 0 || nz <= 0) {
            throw new IOException(name + ": unsupported dimensions " + rank + "D " + nx + "x" + ny + "x" + nz);
        }
        if (nt > 1) {
            throw new IOException(name + ": holds " + nt + " volumes; only single 3D volumes are read");
        }
        int datatype = header.getShort(70);
        int offset = (int) header.getFloat(108);
        float slope = header.getFloat(112);
        float intercept = header.getFloat(116);
        if (slope == 0 || Float.isNaN(slope)) {
            slope = 1;
            intercept = 0;
        }
        int count = nx * ny * nz;
        float[] data = new float[count];
        ByteBuffer voxels = ByteBuffer.wrap(bytes).order(header.order());
        int bytesPer = bytesPerVoxel(datatype, name);
        if ((long) offset + (long) count * bytesPer > bytes.length) {
            throw new IOException(name + ": file ends before its " + count + " voxels");
        }
        for (int n = 0; n < count; n++) {
            int at = offset + n * bytesPer;
            double v = switch (datatype) {
                case 2 -> voxels.get(at) & 0xff;
                case 256 -> voxels.get(at);
                case 4 -> voxels.getShort(at);
                case 512 -> voxels.getShort(at) & 0xffff;
                case 8 -> voxels.getInt(at);
                case 16 -> voxels.getFloat(at);
                case 64 -> voxels.getDouble(at);
                default -> throw new IllegalStateException();
            };
            data[n] = (float) (v * slope + intercept);
        }
        double[][] affine = affine(header);
        double[] spacing = new double[3];
        double[] direction = new double[9];
        for (int axis = 0; axis < 3; axis++) {
            // RAS (NIfTI) to LPS (DICOM): negate x and y.
            double cx = -affine[0][axis];
            double cy = -affine[1][axis];
            double cz = affine[2][axis];
            double norm = Math.sqrt(cx * cx + cy * cy + cz * cz);
            spacing[axis] = norm;
            direction[axis] = cx / norm;
            direction[3 + axis] = cy / norm;
            direction[6 + axis] = cz / norm;
        }
        double[] origin = {-affine[0][3], -affine[1][3], affine[2][3]};
        return new Volume(nx, ny, nz, spacing, origin, direction, data);
    }

    private static int bytesPerVoxel(int datatype, String name) throws IOException {
        return switch (datatype) {
            case 2, 256 -> 1;
            case 4, 512 -> 2;
            case 8, 16 -> 4;
            case 64 -> 8;
            default -> throw new IOException(name + ": NIfTI datatype " + datatype + " is not supported");
        };
    }

    /** The voxel-to-RAS affine, rows x, y, z; columns i, j, k, translation. */
    private static double[][] affine(ByteBuffer h) {
        double[] pixdim = {h.getFloat(80), h.getFloat(84), h.getFloat(88)};
        for (int a = 0; a < 3; a++) {
            pixdim[a] = pixdim[a] > 0 ? pixdim[a] : 1;
        }
        int qformCode = h.getShort(252);
        int sformCode = h.getShort(254);
        if (sformCode > 0) {
            double[][] m = new double[3][4];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 4; c++) {
                    m[r][c] = h.getFloat(280 + 16 * r + 4 * c);
                }
            }
            return m;
        }
        if (qformCode > 0) {
            double b = h.getFloat(256);
            double c = h.getFloat(260);
            double d = h.getFloat(264);
            double a = Math.sqrt(Math.max(0, 1 - b * b - c * c - d * d));
            double qfac = h.getFloat(76) < 0 ? -1 : 1;
            double[][] r = {
                {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
                {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
                {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b},
            };
            double[] scale = {pixdim[0], pixdim[1], pixdim[2] * qfac};
            double[][] m = new double[3][4];
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 3; col++) {
                    m[row][col] = r[row][col] * scale[col];
                }
            }
            m[0][3] = h.getFloat(268);
            m[1][3] = h.getFloat(272);
            m[2][3] = h.getFloat(276);
            return m;
        }
        return new double[][] {{pixdim[0], 0, 0, 0}, {0, pixdim[1], 0, 0}, {0, 0, pixdim[2], 0}};
    }

    private NiftiReader() {
    }
}
