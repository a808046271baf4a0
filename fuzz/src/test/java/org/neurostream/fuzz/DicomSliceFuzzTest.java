package org.neurostream.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.neurostream.imaging.DicomReadException;
import org.neurostream.imaging.DicomSlice;
import org.neurostream.imaging.DicomSliceReader;

/**
 * A whole slice from Part 10 bytes, as the processor reads a series back from the blob store: header, geometry
 * and pixel decoding (imaging's PixelDecoder). Contract: a consistent slice, or {@link DicomReadException}.
 */
class DicomSliceFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void readSlice(byte[] data) {
        DicomSlice slice;
        try {
            slice = DicomSliceReader.readSlice(Scratch.write("slice.dcm", data));
        } catch (DicomReadException expected) {
            return;
        }
        assertThat(slice.rows()).isPositive();
        assertThat(slice.columns()).isPositive();
        assertThat(slice.pixels()).hasSize(slice.rows() * slice.columns());
        assertThat(slice.pixelSpacing()).hasSize(2);
        assertThat(slice.imagePosition()).hasSize(3);
        assertThat(slice.imageOrientation()).hasSize(6);
        slice.positionAlongNormal();
    }
}
