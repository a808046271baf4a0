package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;
import org.neurostream.fuzz.Scratch;

/**
 * Ingest's parse step on arbitrary received bytes, as {@link InstanceIngestor} runs it for every door: validate the
 * header, then re-frame the bytes for the blob store ({@link CanonicalPart10}). Contract: an accepted instance whose
 * stored bytes read back as the same instance, or {@link InstanceRejectedException}. Anything else would reach
 * the ingestor's catch-all and be answered as a storage failure (0xA700, "try again later") for a bad object.
 */
class InstanceIngestFuzzTest {
    private static final InstanceValidator VALIDATOR = new InstanceValidator(new PatientKeyDeriver("fuzz-salt"));

    @FuzzTest(maxDuration = "15s")
    void validateAndFrame(byte[] data) throws IOException {
        Path received = Scratch.write("received.dcm", data);
        InstanceHeader header;
        byte[] stored;
        try {
            header = VALIDATOR.validate(received, null);
            stored = CanonicalPart10.of(received, header);
        } catch (InstanceRejectedException expected) {
            assertThat(expected.reason()).isNotBlank();
            return;
        }
        assertThat(header.patientKey()).startsWith("pk-");
        // What the blob store keeps must be the instance that was accepted.
        try {
            assertThat(VALIDATOR.validate(Scratch.write("stored.dcm", stored), header.sopInstanceUid()))
                    .isEqualTo(header);
        } catch (InstanceRejectedException e) {
            throw new AssertionError("the re-framed blob of an accepted instance is rejected: " + e.reason() + ": "
                    + e.getMessage(), e);
        }
    }
}
