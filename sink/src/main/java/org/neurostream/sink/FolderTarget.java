package org.neurostream.sink;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/** Writes {@code <dir>/<SOPInstanceUID>.dcm} atomically; an identical file already there is left alone. */
public final class FolderTarget implements DeliveryTarget {
    private final Path dir;

    public FolderTarget(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    @Override
    public String name() {
        return "folder";
    }

    @Override
    public String deliver(SrDocument sr) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(sr.sopInstanceUid() + ".dcm");
        if (Files.exists(target) && Files.size(target) == sr.bytes().length
                && Arrays.equals(Files.readAllBytes(target), sr.bytes())) {
            return target.toString(); // a replay: nothing to do
        }
        // Written beside the target, then renamed: a folder watcher never sees half a file.
        Path staged = Files.createTempFile(dir, "." + sr.sopInstanceUid(), ".part");
        try {
            Files.write(staged, sr.bytes());
            try {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(staged);
        }
        return target.toString();
    }
}
