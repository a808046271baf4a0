package org.neurostream.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.neurostream.imaging.DicomHeader;
import org.neurostream.imaging.DicomReadException;
import org.neurostream.imaging.DicomSliceReader;

/**
 * Imaging's header readers on arbitrary bytes: the first thing every door (C-STORE, STOW-RS, import, change feed)
 * does with a received object. Contract: a header, or {@link DicomReadException}; nothing else escapes.
 */
class DicomHeaderFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void readHeaders(byte[] data) {
        Path file = Scratch.write("header.dcm", data);
        DicomHeader complete = null;
        try {
            complete = DicomSliceReader.readCompleteHeader(file);
            checkInvariants(complete);
        } catch (DicomReadException expected) {
            // the documented refusal
        }
        try {
            DicomHeader partial = DicomSliceReader.readHeader(file);
            checkInvariants(partial);
            if (complete != null) {
                // Stopping before the pixel data must not change what the header says.
                assertThat(partial.sopInstanceUid()).isEqualTo(complete.sopInstanceUid());
                assertThat(partial.seriesInstanceUid()).isEqualTo(complete.seriesInstanceUid());
                assertThat(partial.rows()).isEqualTo(complete.rows());
            }
        } catch (DicomReadException e) {
            // A whole object that parses completely must also parse up to its pixel data.
            assertThat(complete).as("readHeader refused what readCompleteHeader accepted: %s", e.getMessage())
                    .isNull();
        }
    }

    private static void checkInvariants(DicomHeader header) {
        assertThat(header.pixelDataLength()).isGreaterThanOrEqualTo(-1);
        header.studyLocalDate(); // must not throw on any DA text
        assertThat(header.toString()).startsWith("DicomHeader[");
    }
}
