package org.neurostream.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs DCMTK's network tools as real processes, with TCP_NODELAY=1 (Nagle off: ~10x faster on loopback). */
final class Dcmtk {
    record Result(int exitCode, String output) {
    }

    static Result echoscu(int port, String calledAe) throws Exception {
        return echoscu(port, calledAe, "TESTSCU");
    }

    static Result echoscu(int port, String calledAe, String callingAe) throws Exception {
        return run(List.of("echoscu", "-v", "-aet", callingAe, "-aec", calledAe, "localhost", Integer.toString(port)));
    }

    /** {@code -nh}: go on after a failed store or an unreadable file, like a PACS pushing a whole study. */
    static Result storescu(int port, String calledAe, List<Path> files) throws Exception {
        return storescu(port, calledAe, "TESTSCU", files);
    }

    static Result storescu(int port, String calledAe, String callingAe, List<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("storescu", "-v", "-nh", "-td", "30", "-aet", callingAe,
                "-aec", calledAe, "localhost", Integer.toString(port)));
        files.forEach(f -> command.add(f.toString()));
        return run(command);
    }

    static boolean available() {
        try {
            return run(List.of("storescu", "--version")).exitCode() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static Result run(List<String> command) throws Exception {
        Path log = Files.createTempFile("dcmtk-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("TCP_NODELAY", "1");
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish: " + read(log));
            }
            return new Result(process.exitValue(), read(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private Dcmtk() {
    }
}
