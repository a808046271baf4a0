package org.neurostream.blobstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A {@link BlobStore} on a filesystem (a local disk, or a ReadWriteMany volume shared by the services).
 * Layout: {@code <root>/sha256/ab/cd/<hex>}; writes go to {@code <root>/tmp} first and are renamed into place.
 */
public final class FileBlobStore implements BlobStore {
    private static final String PREFIX = "sha256:";
    private static final Pattern REF = Pattern.compile("sha256:[0-9a-f]{64}");

    private final Path root;
    private final Path tmp;
    private final Set<Path> createdDirs = ConcurrentHashMap.newKeySet();

    public FileBlobStore(Path root) throws IOException {
        this.root = root.toAbsolutePath();
        this.tmp = this.root.resolve("tmp");
        Files.createDirectories(tmp);
    }

    public Path root() {
        return root;
    }

    @Override
    public String put(byte[] bytes) throws IOException {
        Path staged = tmp.resolve(UUID.randomUUID() + ".part");
        Files.write(staged, bytes);
        return commit(staged, sha256(bytes));
    }

    @Override
    public String putFile(Path file) throws IOException {
        // Copy to our own staging file first: the source may live on another filesystem, and hashing the staged
        // copy guarantees the reference matches exactly the bytes we keep.
        Path staged = tmp.resolve(UUID.randomUUID() + ".part");
        Files.copy(file, staged);
        return commit(staged, sha256(Files.readAllBytes(staged)));
    }

    private String commit(Path staged, String hex) throws IOException {
        Path target = pathOf(hex);
        // One mkdir per fan-out folder, not per blob: each is a metadata operation on the disk's journal.
        if (!createdDirs.contains(target.getParent())) {
            Files.createDirectories(target.getParent());
            createdDirs.add(target.getParent());
        }
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // the folder was removed under us (a retention clean-up): make it again
            Files.createDirectories(target.getParent());
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(staged); // same content already stored
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.exists(staged)) {
            Files.deleteIfExists(staged); // POSIX rename replaced an identical file
        }
        return PREFIX + hex;
    }

    @Override
    public boolean contains(String ref) {
        return isRef(ref) && Files.exists(pathOf(ref.substring(PREFIX.length())));
    }

    @Override
    public InputStream open(String ref) throws IOException {
        return Files.newInputStream(localPath(ref));
    }

    @Override
    public byte[] read(String ref) throws IOException {
        return Files.readAllBytes(localPath(ref));
    }

    @Override
    public Path localPath(String ref) throws IOException {
        if (!isRef(ref)) {
            throw new IllegalArgumentException("not a blob reference: " + ref);
        }
        Path path = pathOf(ref.substring(PREFIX.length()));
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "blob " + ref + " is not in the store");
        }
        return path;
    }

    private static boolean isRef(String ref) {
        return ref != null && REF.matcher(ref).matches();
    }

    private Path pathOf(String hex) {
        return root.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
