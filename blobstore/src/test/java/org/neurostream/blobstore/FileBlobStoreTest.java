package org.neurostream.blobstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest {
    @TempDir
    Path dir;

    @Test
    void storesByContentAndReadsBack() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        byte[] bytes = "DICM pixels".getBytes(StandardCharsets.US_ASCII);
        String ref = store.put(bytes);
        assertThat(ref).isEqualTo("sha256:" + FileBlobStore.sha256(bytes));
        assertThat(store.read(ref)).isEqualTo(bytes);
        assertThat(store.contains(ref)).isTrue();
    }

    @Test
    void sameContentTwiceIsOneBlobAndLeavesNoStagingFiles() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        Path file = Files.write(dir.resolve("in.dcm"), new byte[] {1, 2, 3});
        String a = store.putFile(file);
        String b = store.put(new byte[] {1, 2, 3});
        assertThat(a).isEqualTo(b);
        try (var staged = Files.list(dir.resolve("tmp"))) {
            assertThat(staged).isEmpty();
        }
    }

    @Test
    void unknownOrMalformedReferencesFailClearly() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        assertThatThrownBy(() -> store.read("sha256:" + "0".repeat(64))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("not in the store");
        assertThatThrownBy(() -> store.read("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.contains("nonsense")).isFalse();
    }
}
