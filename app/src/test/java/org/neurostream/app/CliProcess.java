package org.neurostream.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The NeuroStream CLI in a JVM of its own, as an operator starts it, with this test run's class path: for tests
 * that must kill a service, or read every line a service writes.
 */
final class CliProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private CliProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code neurostream <args>}; stdout and stderr go to {@code log}; {@code env} is added. */
    static CliProcess start(List<String> args, Path log, Map<String, String> env, String... jvmOptions)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
        command.addAll(List.of(jvmOptions));
        for (String property : List.of("TENSORFLOW_LIBRARY_PATH", "ai.djl.offline")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NeuroStreamCli.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new CliProcess(builder.start(), log);
    }

    Process process() {
        return process;
    }

    Path log() {
        return log;
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits for {@code text} in the output; fails early if the process ends first. */
    void awaitLine(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("process ended (exit " + process.exitValue() + ") before '" + text
                        + "'; its last lines:\n" + tail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + text + "' not in the output after " + timeout + "; its last lines:\n"
                        + tail(40));
            }
            Thread.sleep(200);
        }
    }

    private String tail(int lines) throws IOException {
        List<String> all = output().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * SIGTERM (the services' shutdown hooks run), then SIGKILL if it does not end in time; children it started
     * (Orthanc) are killed too, so a test that fails half-way leaves nothing running.
     */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
