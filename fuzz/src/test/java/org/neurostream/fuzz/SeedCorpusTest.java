package org.neurostream.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neurostream.imaging.DicomSlice;
import org.neurostream.imaging.DicomSliceReader;

/**
 * The committed seeds ({@link SeedWriter}) are what the fuzzers start from, so they must be real, valid inputs: a
 * fuzzer seeded with noise seldom gets past the first check.
 */
class SeedCorpusTest {

    private static List<Path> seeds(String dir) throws IOException, URISyntaxException {
        Path path = Path.of(SeedCorpusTest.class.getResource("/org/neurostream/" + dir).toURI());
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(f -> f.getFileName().toString().startsWith("seed-")).sorted().toList();
        }
    }

    @Test
    void dicomSeedsAreWholeSlicesInEveryNativeTransferSyntax() throws Exception {
        List<Path> seeds = seeds("fuzz/DicomSliceFuzzTestInputs/readSlice");
        assertThat(seeds).hasSize(5);
        for (Path seed : seeds) {
            DicomSlice slice = DicomSliceReader.readSlice(seed);
            assertThat(slice.rows()).as(seed.toString()).isEqualTo(3);
            assertThat(slice.columns()).isEqualTo(4);
            assertThat(slice.pixels()).hasSize(12);
        }
        assertThat(seeds.stream().map(s -> transferSyntax(s)).distinct()).hasSize(4);
    }

    @Test
    void eventSeedsDecodeAsTheTypeTheirFirstByteNames() throws Exception {
        List<Path> seeds = seeds("fuzz/EventSerdeFuzzTestInputs/decode");
        assertThat(seeds).hasSize(EventSerdeFuzzTest.SERDES.size());
        for (Path seed : seeds) {
            byte[] bytes = Files.readAllBytes(seed);
            assertThat(EventSerdeFuzzTest.SERDES.get(bytes[0]).fromBytes(Arrays.copyOfRange(bytes, 1, bytes.length))
                    .getSchema().getName()).isEqualTo(seed.getFileName().toString().substring("seed-".length()));
        }
    }

    @Test
    void stowSeedIsAWholeRequest() throws Exception {
        byte[] body = Files.readAllBytes(seeds("ingest/MultipartRelatedReaderFuzzTestInputs/readBody").get(0));
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).startsWith("multipart/related;")
                .contains("Content-Type: application/dicom").endsWith("--\r\n");
    }

    private static String transferSyntax(Path seed) {
        try {
            return DicomSliceReader.readHeader(seed).transferSyntaxUid();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
