package org.neurostream.ingest;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TransferSyntax;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The bytes ingest stores for an instance: a file meta header of our own making, followed by the data set exactly as
 * it arrived. Each door frames the same data set differently (C-STORE has no meta header and ours names the calling
 * AE; a STOW-RS part or an archived file carries whatever meta header its writer chose), so storing the framing as
 * received would give one instance a different blob, and its series a different event, for every door it used.
 * Re-framing makes the blob, and therefore the event, depend only on the data set.
 */
final class CanonicalPart10 {
    private static final byte[] DICM = "DICM".getBytes(StandardCharsets.US_ASCII);
    /** Explicit VR encodings with a 4-byte length (PS3.5 7.1.2). */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");

    static byte[] of(Path part10File, InstanceHeader header) throws IOException, InstanceRejectedException {
        byte[] file = Files.readAllBytes(part10File);
        if (file.length < 132 || !java.util.Arrays.equals(file, 128, 132, DICM, 0, 4)) {
            throw new InstanceRejectedException("no-meta-header", DimseStatus.CANNOT_UNDERSTAND,
                    "not a DICOM Part 10 file (no DICM marker)");
        }
        int pos = 132;
        String transferSyntax = null;
        long declaredEnd = -1;
        // The meta group is always explicit VR little endian; walk it rather than trust its group length.
        while (pos + 8 <= file.length && u16(file, pos) == 0x0002) {
            int element = u16(file, pos + 2);
            String vr = new String(file, pos + 4, 2, StandardCharsets.US_ASCII);
            long length;
            int valueAt;
            if (LONG_VRS.contains(vr)) {
                length = pos + 12 <= file.length ? u32(file, pos + 8) : -1;
                valueAt = pos + 12;
            } else {
                length = u16(file, pos + 6);
                valueAt = pos + 8;
            }
            if (length < 0 || valueAt + length > file.length) {
                throw new InstanceRejectedException("unparseable", DimseStatus.CANNOT_UNDERSTAND,
                        "file meta header is cut off");
            }
            if (element == 0x0000 && length == 4) {
                declaredEnd = valueAt + 4 + u32(file, valueAt);
            }
            if (element == 0x0010) {
                transferSyntax = new String(file, valueAt, (int) length, StandardCharsets.US_ASCII)
                        .replace("\0", "").strip();
            }
            pos = valueAt + (int) length;
        }
        // A reader that trusts the group length (the validator's does) would see a different split between meta
        // header and data set than this walk: the stored blob would then not read back as the accepted instance.
        if (declaredEnd >= 0 && declaredEnd != pos) {
            throw new InstanceRejectedException("unparseable", DimseStatus.CANNOT_UNDERSTAND, "file meta header: its "
                    + "group length says it ends at byte " + declaredEnd + ", its elements end at byte " + pos);
        }
        if (transferSyntax == null || transferSyntax.isEmpty()) {
            throw new InstanceRejectedException("missing-attribute", DimseStatus.CANNOT_UNDERSTAND,
                    "file meta header has no TransferSyntaxUID");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length - pos + 512);
        try {
            FileMetaInformation meta = new FileMetaInformation(header.sopClassUid(), header.sopInstanceUid(),
                    transferSyntax, null);
            DicomOutputStream metaOut = new DicomOutputStream(out, TransferSyntax.ExplicitVRLittleEndian, null);
            meta.getAttributeList().write(metaOut);
            metaOut.flush();
        } catch (DicomException e) {
            throw new IOException("could not write a file meta header: " + e.getMessage(), e);
        }
        out.write(file, pos, file.length - pos);
        return out.toByteArray();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private CanonicalPart10() {
    }
}
