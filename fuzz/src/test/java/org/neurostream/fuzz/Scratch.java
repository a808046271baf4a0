package org.neurostream.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The read paths under test take a file (that is how a received object reaches them: spooled to disk), so each
 * fuzz input is written to a scratch file first. One directory per JVM, in memory where the machine has /dev/shm.
 */
public final class Scratch {
    private static final Path DIR = create();

    private static Path create() {
        try {
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "neurostream-fuzz-")
                    : Files.createTempDirectory("neurostream-fuzz-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to the scratch file {@code name} (replacing it) and returns its path. */
    public static Path write(String name, byte[] bytes) {
        Path file = DIR.resolve(name);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        file.toFile().deleteOnExit();
        return file;
    }

    private Scratch() {
    }
}
