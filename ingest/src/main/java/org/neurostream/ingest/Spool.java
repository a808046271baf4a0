package org.neurostream.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Temporary files of objects on their way into the blob store (one folder per door, under the blob store). */
final class Spool {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    static final String PART = ".part";

    static Path create(Path dir, String prefix) throws IOException {
        return Files.createTempFile(dir, prefix, PART);
    }

    /** A .part file left by a crash was never acknowledged to its sender: it will be sent again. */
    static void removeLeftovers(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(PART)).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not remove spooled file {}: {}", file, e.toString());
        }
    }

    private Spool() {
    }
}
