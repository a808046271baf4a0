package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A header read must not need a pixel codec (PixelMed has none for JPEG 2000 and used to fail the whole read), and a
 * slice with a spacing that is not positive must be refused rather than stacked into a mirrored or flat volume.
 */
class BadGeometryAndCodecTest {
    @TempDir
    Path dir;

    @Test
    void aJpeg2000ObjectHasAReadableHeaderButIsNotDecoded() throws Exception {
        Path file = MrSeriesWriter.write(DicomTestVolumes.oblique(), DicomTestVolumes.metadata("j2k"), dir).get(0);
        Path j2k = Files.write(dir.resolve("j2k.dcm"), asJpeg2000(file));

        DicomHeader header = DicomSliceReader.readCompleteHeader(j2k);
        assertThat(header.transferSyntaxUid()).isEqualTo(TransferSyntax.JPEG2000Lossless);
        assertThat(header.seriesInstanceUid()).isEqualTo(Uids.fromName("j2k"));
        assertThat(header.pixelDataLength()).isNotNegative();
        assertThatThrownBy(() -> DicomSliceReader.readSlice(j2k)).isInstanceOf(DicomReadException.class)
                .hasMessageContaining("compressed transfer syntax").hasMessageContaining("JPEG 2000");
    }

    @Test
    void aSliceWhosePixelSpacingIsNotPositiveIsRefused() throws Exception {
        List<Path> files = MrSeriesWriter.write(DicomTestVolumes.oblique(), DicomTestVolumes.metadata("s"), dir);
        for (String spacing : List.of("-0.9", "0")) {
            AttributeList list = new AttributeList();
            list.read(files.get(0).toFile());
            com.pixelmed.dicom.Attribute a = list.putNewAttribute(TagFromName.PixelSpacing);
            a.addValue(spacing);
            a.addValue("1.1");
            list.write(files.get(0).toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            assertThatThrownBy(() -> DicomSliceReader.readSlice(files.get(0)))
                    .isInstanceOf(DicomReadException.class).hasMessageContaining("invalid PixelSpacing");
        }
    }

    /** The object behind a JPEG 2000 meta header, its PixelData replaced by one encapsulated fragment. */
    private static byte[] asJpeg2000(Path file) throws Exception {
        byte[] good = Files.readAllBytes(file);
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomOutputStream dout = new DicomOutputStream(out, TransferSyntax.ExplicitVRLittleEndian, null);
        new FileMetaInformation(list.get(TagFromName.SOPClassUID).getSingleStringValueOrEmptyString(),
                list.get(TagFromName.SOPInstanceUID).getSingleStringValueOrEmptyString(),
                TransferSyntax.JPEG2000Lossless, "TEST").getAttributeList().write(dout);
        dout.flush();
        int dataSet = 144 + ByteBuffer.wrap(good, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int pixelData = good.length - (12 + 24 * 20 * 2); // PixelData (OW) is the last element
        out.write(good, dataSet, pixelData - dataSet);
        ByteBuffer tail = ByteBuffer.allocate(12 + 8 + 8 + 16 + 8).order(ByteOrder.LITTLE_ENDIAN);
        tail.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'B').putShort((short) 0)
                .putInt(0xFFFFFFFF);
        tail.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(0);
        tail.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(16).put(new byte[] {(byte) 0xFF, 0x4F,
            (byte) 0xFF, 0x51}).put(new byte[12]);
        tail.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0);
        out.write(tail.array());
        return out.toByteArray();
    }
}
