package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DicomSliceReader#readCompleteHeader}: the header of a whole object, for a receiver judging it. */
class CompleteHeaderTest {
    /** 20 rows x 24 columns x 16 bits (DicomTestVolumes.oblique, MrSeriesWriter). */
    private static final long SLICE_BYTES = 20 * 24 * 2;

    @TempDir
    Path dir;
    private Path good;

    @BeforeEach
    void writeOneGoodSlice() throws Exception {
        good = MrSeriesWriter.write(DicomTestVolumes.oblique(), DicomTestVolumes.metadata("complete"),
                dir.resolve("series")).get(0);
    }

    @Test
    void wholeObjectGivesTheHeaderAndThePixelDataLength() throws Exception {
        DicomHeader complete = DicomSliceReader.readCompleteHeader(good);
        DicomHeader quick = DicomSliceReader.readHeader(good);

        assertThat(complete.sopInstanceUid()).isEqualTo(quick.sopInstanceUid());
        assertThat(complete.patientId()).isEqualTo(quick.patientId());
        assertThat(complete.instanceNumber()).isEqualTo(1);
        assertThat(complete.hasInstanceNumber()).isTrue();
        assertThat(complete.pixelDataLength()).isEqualTo(SLICE_BYTES);
        assertThat(complete.expectedPixelDataLength()).isEqualTo(SLICE_BYTES);
        // readHeader stops before the pixel data, but the promise is in the header.
        assertThat(quick.pixelDataLength()).isEqualTo(-1);
        assertThat(quick.expectedPixelDataLength()).isEqualTo(SLICE_BYTES);
    }

    @Test
    void fileCutOffAnywhereIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(good);
        Path inPixels = Files.write(dir.resolve("cut-pixels.dcm"), Arrays.copyOf(bytes, bytes.length - 500));
        Path inHeader = Files.write(dir.resolve("cut-header.dcm"), Arrays.copyOf(bytes, 700));

        assertThatThrownBy(() -> DicomSliceReader.readCompleteHeader(inPixels))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("parsing stopped at byte");
        assertThatThrownBy(() -> DicomSliceReader.readCompleteHeader(inHeader))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("truncated");
        // The quick read cannot tell: that is what readCompleteHeader is for.
        assertThat(DicomSliceReader.readHeader(inPixels).sopInstanceUid()).isNotEmpty();
    }

    @Test
    void textAfterAValidMetaHeaderIsRefused() throws Exception {
        Path text = dir.resolve("text.dcm");
        try (var out = Files.newOutputStream(text)) {
            var dout = new com.pixelmed.dicom.DicomOutputStream(out, TransferSyntax.ExplicitVRLittleEndian, null);
            new FileMetaInformation("1.2.840.10008.5.1.4.1.1.4", "1.2.3", TransferSyntax.ExplicitVRLittleEndian,
                    "TEST").getAttributeList().write(dout);
            dout.flush();
            out.write("Findings: none. This is not DICOM.\n".repeat(50).getBytes());
        }

        assertThatThrownBy(() -> DicomSliceReader.readCompleteHeader(text)).isInstanceOf(DicomReadException.class);
    }

    @Test
    void shortAbsentAndCompressedPixelDataAreReportedNotRefused() throws Exception {
        AttributeList list = new AttributeList();
        list.read(good.toFile());
        OtherWordAttribute half = new OtherWordAttribute(TagFromName.PixelData);
        half.setValues(new short[20 * 24 / 2]);
        list.put(half);
        Path shortPixels = write(list, "short.dcm");
        list.remove(TagFromName.PixelData);
        list.remove(TagFromName.InstanceNumber);
        Path noPixels = write(list, "no-pixels.dcm");
        // Declared JPEG Lossless: the pixel data's length says nothing about the frames, so nothing is promised.
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.JPEGLossless, "TEST");
        Path jpeg = write(list, "jpeg.dcm");

        DicomHeader shortHeader = DicomSliceReader.readCompleteHeader(shortPixels);
        assertThat(shortHeader.pixelDataLength()).isEqualTo(SLICE_BYTES / 2);
        assertThat(shortHeader.expectedPixelDataLength()).isEqualTo(SLICE_BYTES);
        DicomHeader noPixelHeader = DicomSliceReader.readCompleteHeader(noPixels);
        assertThat(noPixelHeader.pixelDataLength()).isEqualTo(-1);
        assertThat(noPixelHeader.instanceNumber()).isZero();
        assertThat(noPixelHeader.hasInstanceNumber()).isFalse();
        assertThat(DicomSliceReader.readCompleteHeader(jpeg).expectedPixelDataLength()).isZero();
    }

    @Test
    void toStringLeavesThePatientOut() throws Exception {
        DicomHeader header = DicomSliceReader.readCompleteHeader(good);

        assertThat(header.patientId()).isNotEmpty();
        assertThat(header.toString()).contains(header.sopInstanceUid()).doesNotContain(header.patientId());
    }

    private Path write(AttributeList list, String name) throws Exception {
        Path file = dir.resolve(name);
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return file;
    }
}
