package org.neurostream.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Streams the parts of a multipart body (RFC 2046; STOW-RS sends multipart/related) one after the other, each
 * part's content copied straight to where the caller wants it, so a large study never sits in memory.
 *
 * <p>Every delimiter is searched for as CRLF + "--" + boundary; a CRLF is put in front of the body so that a
 * body starting with the first delimiter (no preamble, as most clients send it) needs no special case.
 */
final class MultipartRelatedReader {
    private static final int BUFFER = 1 << 16;
    private static final int MAX_HEADER_LINE = 8 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int start;
    private int end;
    private boolean eof;
    private boolean finished;
    private boolean started;

    MultipartRelatedReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.buf = new byte[BUFFER + delimiter.length];
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
    }

    /** The boundary parameter of a Content-Type header, or null. Quotes are removed. */
    static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("boundary")) {
                String value = p.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                // RFC 2046 allows 70 characters; Orthanc 1.10's DICOMweb client sends two UUIDs (73): be lenient.
                return value.isEmpty() || value.length() > 200 ? null : value;
            }
        }
        return null;
    }

    /**
     * Advances to the next part and returns its headers (names in lower case), or null after the closing
     * delimiter. The first call skips the preamble; later calls expect the previous part's content to have been
     * consumed with {@link #copyPart}.
     */
    Map<String, String> nextPart() throws IOException {
        if (finished) {
            return null;
        }
        if (!started) {
            started = true;
            copyPart(OutputStream.nullOutputStream()); // preamble
        }
        // After a delimiter: "--" closes the body; otherwise transport padding up to CRLF.
        if (!fill(2)) {
            throw new MalformedMultipartException("body ends after a delimiter");
        }
        if (buf[start] == '-' && buf[start + 1] == '-') {
            finished = true;
            return null;
        }
        readLine();
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return headers;
    }

    /** Copies the current part's content up to the next delimiter; returns the number of bytes. */
    long copyPart(OutputStream out) throws IOException {
        long copied = 0;
        while (true) {
            fill(delimiter.length);
            int found = indexOfDelimiter();
            if (found >= 0) {
                out.write(buf, start, found - start);
                copied += found - start;
                start = found + delimiter.length;
                return copied;
            }
            if (eof) {
                throw new MalformedMultipartException("body ends inside a part (no closing delimiter)");
            }
            // Keep a tail that could be the start of a delimiter split across reads.
            int safe = end - (delimiter.length - 1);
            if (safe > start) {
                out.write(buf, start, safe - start);
                copied += safe - start;
                start = safe;
            }
            compact();
            readMore();
        }
    }

    private int indexOfDelimiter() {
        int last = end - delimiter.length;
        outer:
        for (int i = start; i <= last; i++) {
            if (buf[i] != '\r') {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!fill(1)) {
                throw new MalformedMultipartException("body ends inside part headers");
            }
            byte b = buf[start++];
            if (b == '\n') {
                int len = line.length();
                return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
            }
            line.append((char) (b & 0xff));
            if (line.length() > MAX_HEADER_LINE) {
                throw new MalformedMultipartException("part header line longer than " + MAX_HEADER_LINE + " bytes");
            }
        }
    }

    /** Tries to have at least {@code n} unread bytes buffered; false if the stream ends first. */
    private boolean fill(int n) throws IOException {
        while (end - start < n && !eof) {
            compact();
            readMore();
        }
        return end - start >= n;
    }

    private void compact() {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
    }

    private void readMore() throws IOException {
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    static final class MalformedMultipartException extends IOException {
        MalformedMultipartException(String message) {
            super(message);
        }
    }
}
