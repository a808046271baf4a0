package org.neurostream.ingest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import has done, as an append-only text file, so an interrupted import resumes where it stopped.
 * Two kinds of line: {@code F <file key> <fingerprint> <outcome> <series>} once a file was handled, and
 * {@code S <series>} once that series' event was acknowledged by Kafka.
 *
 * <p>A file counts as done when its outcome was final (rejected, not DICOM) or when it was stored and an
 * {@code S} line for its series follows its {@code F} line. A stored file whose series never got acknowledged (the
 * import was killed inside the quiet period) is imported again on resume: its bytes give the same blob, and the
 * series is announced whole. A file whose size or date changed is imported again too.
 */
final class ImportJournal implements AutoCloseable {
    private record Entry(String fingerprint, String outcome, String series, int line) {
    }

    private final Path file;
    private final Map<String, Entry> files = new HashMap<>();
    private final Map<String, Integer> lastAcknowledged = new HashMap<>();
    private BufferedWriter out;
    private int lines;

    ImportJournal(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            load(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    Path file() {
        return file;
    }

    private void load(List<String> text) {
        for (String line : text) {
            lines++;
            String[] f = line.split(" ");
            if (f.length == 5 && f[0].equals("F")) {
                files.put(decode(f[1]), new Entry(f[2], f[3], f[4], lines));
            } else if (f.length == 2 && f[0].equals("S")) {
                lastAcknowledged.put(f[1], lines);
            }
            // anything else: a line torn by a crash; its file is simply done again
        }
    }

    synchronized boolean isDone(String key, String fingerprint) {
        Entry e = files.get(key);
        if (e == null || !e.fingerprint.equals(fingerprint)) {
            return false;
        }
        if (!e.outcome.equals("stored")) {
            return true;
        }
        Integer acknowledged = lastAcknowledged.get(e.series);
        return acknowledged != null && acknowledged > e.line;
    }

    /** @param series the series UID, or null when nothing was stored */
    synchronized void handled(String key, String fingerprint, String outcome, String series) throws IOException {
        write("F " + encode(key) + " " + fingerprint + " " + outcome + " " + (series == null ? "-" : series));
        files.put(key, new Entry(fingerprint, outcome, series == null ? "-" : series, lines));
    }

    synchronized void acknowledged(String series) throws IOException {
        write("S " + series);
        lastAcknowledged.put(series, lines);
    }

    private void write(String line) throws IOException {
        out.write(line);
        out.write('\n');
        out.flush(); // to the OS: a killed process loses nothing; a power cut at worst repeats a few files
        lines++;
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    private static String decode(String key) {
        return URLDecoder.decode(key, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
