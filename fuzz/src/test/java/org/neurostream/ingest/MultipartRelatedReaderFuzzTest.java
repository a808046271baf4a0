package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The STOW-RS body reader on arbitrary requests. An input is a Content-Type header line, then the body. Contract:
 * the parts, whose contents together are never longer than the body, or {@link
 * MultipartRelatedReader.MalformedMultipartException} (answered 400); never a loop that does not end.
 */
class MultipartRelatedReaderFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void readBody(byte[] data) throws IOException {
        int newline = indexOf(data, (byte) '\n');
        if (newline < 0) {
            return;
        }
        String boundary = MultipartRelatedReader.boundary(new String(data, 0, newline, StandardCharsets.ISO_8859_1));
        if (boundary == null) {
            return; // answered 415 before the body is read
        }
        int bodyLength = data.length - newline - 1;
        MultipartRelatedReader reader = new MultipartRelatedReader(
                new ByteArrayInputStream(data, newline + 1, bodyLength), boundary);
        long content = 0;
        int parts = 0;
        try {
            for (Map<String, String> headers = reader.nextPart(); headers != null; headers = reader.nextPart()) {
                parts++;
                // Every part needs a delimiter of its own: more parts than bytes means the reader is not advancing.
                assertThat(parts).isLessThanOrEqualTo(bodyLength);
                headers.forEach((name, value) -> assertThat(name).isEqualTo(name.strip()));
                Counting out = new Counting();
                long copied = reader.copyPart(out);
                assertThat(copied).isEqualTo(out.count);
                content += copied;
            }
        } catch (MultipartRelatedReader.MalformedMultipartException expected) {
            return;
        }
        assertThat(content).isLessThanOrEqualTo(bodyLength);
    }

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
