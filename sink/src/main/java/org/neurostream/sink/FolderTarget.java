package org.neurostream.sink;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes {@code <dir>/<SOPInstanceUID>.dcm} for each DICOM object (and the key image's PNG beside it) atomically;
 * an identical file already there is left alone.
 */
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
    public Delivered deliver(ResultPackage result) throws IOException {
        Files.createDirectories(dir);
        boolean allThere = true;
        List<String> ids = new ArrayList<>();
        for (DicomObject o : result.objects()) {
            allThere &= write(o.sopInstanceUid() + ".dcm", o.bytes());
            ids.add(o.sopInstanceUid());
        }
        if (result.keyImagePng() != null) {
            allThere &= write(result.object("key-image").orElseThrow().sopInstanceUid() + ".png",
                    result.keyImagePng());
        }
        return new Delivered(dir.resolve(result.sr().sopInstanceUid() + ".dcm").toString(), allThere, ids);
    }

    /** Returns true when an identical file was already there. */
    private boolean write(String name, byte[] bytes) throws IOException {
        Path target = dir.resolve(name);
        if (Files.exists(target) && Files.size(target) == bytes.length
                && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return true; // a replay: nothing to do
        }
        // Written beside the target, then renamed: a folder watcher never sees half a file.
        Path staged = Files.createTempFile(dir, "." + name, ".part");
        try {
            Files.write(staged, bytes);
            try {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(staged);
        }
        return false;
    }
}
