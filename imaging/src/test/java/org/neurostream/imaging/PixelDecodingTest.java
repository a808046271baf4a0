package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored-bit handling and rescale on slices that scanners write differently from us. */
class PixelDecodingTest {
    @TempDir
    Path dir;

    /** Rewrites the first slice of a written series with the given pixel cells and pixel module values. */
    private Path sliceWith(short[] cells, int bitsStored, boolean signed, String slope, String intercept)
            throws Exception {
        Volume volume = new Volume(4, 2, 3, new double[] {1, 1, 1}, new double[] {0, 0, 0}, Volume.identity(),
                new float[24]);
        List<Path> files = MrSeriesWriter.write(volume, DicomTestVolumes.metadata("pixels"), dir.resolve("src"));
        AttributeList list = new AttributeList();
        list.read(files.get(0).toFile());
        list.putNewAttribute(TagFromName.BitsStored).addValue(bitsStored);
        list.putNewAttribute(TagFromName.HighBit).addValue(bitsStored - 1);
        list.putNewAttribute(TagFromName.PixelRepresentation).addValue(signed ? 1 : 0);
        list.putNewAttribute(TagFromName.RescaleSlope).addValue(slope);
        list.putNewAttribute(TagFromName.RescaleIntercept).addValue(intercept);
        OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        pixels.setValues(cells);
        list.put(pixels);
        Path file = dir.resolve("slice-" + bitsStored + "-" + signed + ".dcm");
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return file;
    }

    @Test
    void signedTwelveBitCellsAreSignExtended() throws Exception {
        short[] cells = {0x0FFF, 0x0800, 0x07FF, 0, 1, 2, 3, 4};
        DicomSlice slice = DicomSliceReader.readSlice(sliceWith(cells, 12, true, "1", "0"));

        assertThat(slice.pixels()).containsExactly(-1, -2048, 2047, 0, 1, 2, 3, 4);
    }

    @Test
    void unsignedCellsIgnoreBitsAboveBitsStoredAndApplyRescale() throws Exception {
        short[] cells = {(short) 0xF00A, (short) 0xFFFF, 0, 1, 2, 3, 4, 5};
        DicomSlice slice = DicomSliceReader.readSlice(sliceWith(cells, 12, false, "0.5", "-10"));

        assertThat(slice.pixels()).containsExactly(-5, 4095 * 0.5f - 10, -10, -9.5f, -9, -8.5f, -8, -7.5f);
    }

    @Test
    void fullSixteenBitUnsignedValuesStayPositive() throws Exception {
        short[] cells = {(short) 65535, (short) 40000, 0, 0, 0, 0, 0, 0};
        DicomSlice slice = DicomSliceReader.readSlice(sliceWith(cells, 16, false, "1", "0"));

        assertThat(slice.pixels()[0]).isEqualTo(65535f);
        assertThat(slice.pixels()[1]).isEqualTo(40000f);
    }
}
