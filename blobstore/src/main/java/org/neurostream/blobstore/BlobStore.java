package org.neurostream.blobstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where pixel data lives. Kafka events carry references ({@code sha256:<hex>}) into it, never the bytes.
 * Content addressing makes a re-sent instance a no-op and lets every reader verify what it got.
 */
public interface BlobStore {
    /** Stores the bytes (atomically: readers never see a partial blob) and returns their reference. */
    String put(byte[] bytes) throws IOException;

    /** Moves or copies a file into the store (atomically) and returns its reference; the source may be removed. */
    String putFile(Path file) throws IOException;

    boolean contains(String ref);

    InputStream open(String ref) throws IOException;

    byte[] read(String ref) throws IOException;

    /** A local file holding the blob, for libraries that want a path. */
    Path localPath(String ref) throws IOException;
}
