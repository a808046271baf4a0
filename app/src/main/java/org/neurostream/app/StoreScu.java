package org.neurostream.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Sends DICOM files with DCMTK's {@code storescu}, exactly as a scanner or a PACS would send them to us. */
public final class StoreScu {
    /** Sends every file (or folder, recursively) in one association; returns storescu's output. */
    public static String send(String host, int port, String calledAet, String callingAet, List<Path> filesOrFolders)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("storescu", "--scan-directories", "--recurse",
                "-aet", callingAet, "-aec", calledAet, host, String.valueOf(port)));
        filesOrFolders.forEach(p -> command.add(p.toString()));
        // Output goes to a file, not a pipe: reading a pipe would block past the timeout below.
        Path log = Files.createTempFile("storescu", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TCP_NODELAY", "1"); // DCMTK is ~10x faster on loopback with it (measured)
        Process process = builder.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        if (!finished) {
            throw new IOException("storescu did not finish within 5 minutes: " + output.strip());
        }
        if (process.exitValue() != 0) {
            throw new IOException("storescu exited with " + process.exitValue() + ": " + output.strip());
        }
        return output;
    }

    private StoreScu() {
    }
}
