package org.neurostream.imaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Colin27 T1 anatomy from Debian's mricron-data (installed by scripts/setup.sh): a real head for tests and
 * benchmarks (one subject, 1 mm, with its brain-extracted version).
 */
public final class Colin27 {
    public static final Path T1 = Path.of("/usr/share/mricron/templates/ch2.nii.gz");
    public static final Path BRAIN = Path.of("/usr/share/mricron/templates/ch2bet.nii.gz");

    public static Volume t1() {
        return read(T1);
    }

    public static Volume brain() {
        return read(BRAIN);
    }

    private static Volume read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: run scripts/setup.sh (Debian package mricron-data)");
        }
        try {
            return NiftiReader.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Colin27() {
    }
}
