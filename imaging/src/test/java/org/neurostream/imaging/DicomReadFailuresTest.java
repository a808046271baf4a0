package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomReadFailuresTest {
    @TempDir
    Path dir;
    private Path good;

    @BeforeEach
    void writeOneGoodSlice() throws Exception {
        List<Path> files = MrSeriesWriter.write(DicomTestVolumes.oblique(), DicomTestVolumes.metadata("bad"),
                dir.resolve("series"));
        good = files.get(0);
    }

    @Test
    void nonDicomBytesAreRejected() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "Not an image at all, just text. ".repeat(20));

        assertThatThrownBy(() -> DicomSliceReader.readSlice(text))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("not a DICOM Part 10 file");
        assertThatThrownBy(() -> DicomSliceReader.readHeader(text))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("not a DICOM Part 10 file");
    }

    @Test
    void emptyAndMissingFilesAreRejected() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.dcm"));

        assertThatThrownBy(() -> DicomSliceReader.readSlice(empty))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("not a DICOM Part 10 file");
        assertThatThrownBy(() -> DicomSliceReader.readSlice(dir.resolve("absent.dcm")))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("cannot read file");
    }

    @Test
    void objectTruncatedInThePixelDataIsRejected() throws Exception {
        Path cut = truncated(Files.size(good) - 500);

        assertThatThrownBy(() -> DicomSliceReader.readSlice(cut))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("truncated");
    }

    @Test
    void objectTruncatedInTheHeaderIsRejected() throws Exception {
        Path cut = truncated(700);

        assertThatThrownBy(() -> DicomSliceReader.readSlice(cut))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("truncated");
    }

    @Test
    void missingPixelDataIsRejected() throws Exception {
        AttributeList list = new AttributeList();
        list.read(good.toFile());
        list.remove(TagFromName.PixelData);
        Path noPixels = dir.resolve("no-pixels.dcm");
        list.write(noPixels.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);

        assertThatThrownBy(() -> DicomSliceReader.readSlice(noPixels))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("no pixel data");
    }

    @Test
    void missingGeometryIsRejected() throws Exception {
        AttributeList list = new AttributeList();
        list.read(good.toFile());
        list.remove(TagFromName.ImagePositionPatient);
        Path noPosition = dir.resolve("no-position.dcm");
        list.write(noPosition.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);

        assertThatThrownBy(() -> DicomSliceReader.readSlice(noPosition))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("ImagePositionPatient");
    }

    @Test
    void compressedTransferSyntaxIsRejectedButItsHeaderIsReadable() throws Exception {
        AttributeList list = new AttributeList();
        list.read(good.toFile(), TagFromName.PixelData);
        // Declare JPEG Lossless in the meta header: the reader must refuse before touching pixel data.
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.JPEGLossless, "TEST");
        Path jpeg = dir.resolve("jpeg.dcm");
        list.write(jpeg.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);

        assertThatThrownBy(() -> DicomSliceReader.readSlice(jpeg))
                .isInstanceOf(DicomReadException.class)
                .hasMessageContaining("compressed transfer syntax 1.2.840.10008.1.2.4.57")
                .hasMessageContaining("JPEG Lossless");
        org.assertj.core.api.Assertions.assertThat(DicomSliceReader.readHeader(jpeg).transferSyntaxUid())
                .isEqualTo(TransferSyntax.JPEGLossless);
    }

    @Test
    void assemblerPropagatesReadFailures() throws Exception {
        Path text = dir.resolve("junk.dcm");
        Files.write(text, new byte[300]);

        assertThatThrownBy(() -> SeriesAssembler.assemble(List.of(good, good, text)))
                .isInstanceOf(DicomReadException.class).hasMessageContaining("junk.dcm");
    }

    private Path truncated(long length) throws Exception {
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut-" + length + ".dcm");
        Files.write(cut, Arrays.copyOf(bytes, (int) length));
        return cut;
    }
}
