package org.neurostream.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the DCMTK / dicom3tools command-line checkers on a file. */
final class DicomTools {
    record Run(int exitCode, String output) {
    }

    private DicomTools() {
    }

    static boolean available(String tool) {
        return Files.isExecutable(Path.of("/usr/bin", tool));
    }

    static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        return new Run(p.exitValue(), out);
    }
}
