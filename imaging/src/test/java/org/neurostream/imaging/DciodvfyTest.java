package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validates a written slice with dicom3tools' dciodvfy when it is installed (skipped otherwise). */
class DciodvfyTest {
    private static final Path DCIODVFY = Path.of("/usr/bin/dciodvfy");

    @TempDir
    Path dir;

    @Test
    void writtenSliceHasNoIodErrors() throws Exception {
        assumeTrue(Files.isExecutable(DCIODVFY), "dciodvfy not installed");
        List<Path> files = MrSeriesWriter.write(DicomTestVolumes.oblique(), DicomTestVolumes.metadata("iod"), dir);

        Process process = new ProcessBuilder(DCIODVFY.toString(), files.get(3).toString())
                .redirectErrorStream(true).start();
        String report = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(report).as(report).doesNotContain("Error");
        assertThat(report).contains("MR"); // dciodvfy did recognise and check the MR Image IOD
    }
}
