package org.neurostream.imaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@link Volume} as a gzipped single-file NIfTI-1 (.nii.gz), float32 or uint8, with an sform (and the same
 * affine as qform-less scanner coordinates) converted from LPS to NIfTI's RAS: what ground truth, masks and label
 * maps are stored as, readable by {@link NiftiReader} and every neuroimaging viewer.
 */
public final class NiftiWriter {
    private static final int HEADER = 348;
    private static final int OFFSET = 352;

    private NiftiWriter() {
    }

    /** Float32 voxels. */
    public static void writeFloat(Volume volume, Path file) throws IOException {
        write(volume, file, false);
    }

    /** Unsigned bytes (labels, masks): values are rounded and clamped to 0..255. */
    public static void writeLabels(Volume volume, Path file) throws IOException {
        write(volume, file, true);
    }

    private static void write(Volume volume, Path file, boolean bytes) throws IOException {
        int count = volume.voxelCount();
        ByteBuffer b = ByteBuffer.allocate(OFFSET + count * (bytes ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, HEADER);
        b.putShort(40, (short) 3);
        b.putShort(42, (short) volume.nx());
        b.putShort(44, (short) volume.ny());
        b.putShort(46, (short) volume.nz());
        b.putShort(48, (short) 1);
        b.putShort(50, (short) 1);
        b.putShort(52, (short) 1);
        b.putShort(54, (short) 1);
        b.putShort(70, (short) (bytes ? 2 : 16));
        b.putShort(72, (short) (bytes ? 8 : 32));
        double[] s = volume.spacing();
        b.putFloat(76, 1f);
        b.putFloat(80, (float) s[0]);
        b.putFloat(84, (float) s[1]);
        b.putFloat(88, (float) s[2]);
        b.putFloat(108, OFFSET);
        b.putFloat(112, 1f);
        b.putFloat(116, 0f);
        b.put(123, (byte) 10); // xyzt_units: mm, s
        b.putShort(252, (short) 0);
        b.putShort(254, (short) 1); // sform: scanner-anatomical coordinates
        double[] d = volume.direction();
        double[] o = volume.origin();
        double[] flip = {-1, -1, 1}; // LPS -> RAS
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                b.putFloat(280 + row * 16 + col * 4, (float) (flip[row] * d[row * 3 + col] * s[col]));
            }
            b.putFloat(280 + row * 16 + 12, (float) (flip[row] * o[row]));
        }
        byte[] magic = "n+1\0".getBytes(StandardCharsets.US_ASCII);
        for (int n = 0; n < 4; n++) {
            b.put(344 + n, magic[n]);
        }
        float[] data = volume.data();
        for (int n = 0; n < count; n++) {
            if (bytes) {
                b.put(OFFSET + n, (byte) Math.max(0, Math.min(255, Math.round(data[n]))));
            } else {
                b.putFloat(OFFSET + n * 4, data[n]);
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(b.array());
        }
    }
}
