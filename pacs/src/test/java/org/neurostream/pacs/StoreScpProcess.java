package org.neurostream.pacs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** DCMTK's storescp as a real C-STORE SCP (a C-MOVE destination), one process per instance. */
final class StoreScpProcess implements AutoCloseable {
    static final Path EXECUTABLE = Path.of("/usr/bin/storescp");

    private final Process process;
    private final Path directory;
    private final int port;

    private StoreScpProcess(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    static StoreScpProcess start(String aet, int port, Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        ProcessBuilder pb = new ProcessBuilder(EXECUTABLE.toString(), "-aet", aet, "-od", directory.toString(),
                Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(directory.resolveSibling(aet + "-storescp.log").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        StoreScpProcess scp = new StoreScpProcess(pb.start(), directory, port);
        try {
            scp.awaitListening(Duration.ofSeconds(10));
        } catch (IOException | InterruptedException | RuntimeException e) {
            scp.close();
            throw e;
        }
        return scp;
    }

    private void awaitListening(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("storescp exited with " + process.exitValue());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("storescp not listening on " + port + " within " + timeout);
    }

    /** The files received so far. */
    List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Polls until {@code count} files are there (storescp may still be writing the last one) or the time is up. */
    List<Path> awaitFiles(int count, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Path> files = files();
        while (files.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            files = files();
        }
        return files;
    }

    void clear() throws IOException {
        for (Path f : files()) {
            Files.delete(f);
        }
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
