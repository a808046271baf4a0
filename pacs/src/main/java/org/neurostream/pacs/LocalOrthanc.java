package org.neurostream.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Orthanc PACS process (own config, database and ports) for the demo and the tests, plus the few REST
 * calls they need. It can be stopped and started again on the same work dir and ports (an "outage").
 */
public final class LocalOrthanc implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalOrthanc.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Path DEFAULT_EXECUTABLE = Path.of("/usr/sbin/Orthanc");
    public static final Path DICOMWEB_PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
    /** Per REST call: Orthanc answers these in milliseconds; a stuck one must not hang the sink or a test. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

    /** A remote DICOM node Orthanc may talk to (e.g. our own C-STORE SCP for C-MOVE). */
    public record Modality(String name, String aet, String host, int port) {
    }

    private final Path workDir;
    private final String aet;
    private final int dicomPort;
    private final int httpPort;
    private final List<Modality> modalities;
    private final Path executable;
    private final Duration startTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private LocalOrthanc(Builder b) {
        this.workDir = b.workDir.toAbsolutePath();
        this.aet = b.aet;
        this.dicomPort = b.dicomPort > 0 ? b.dicomPort : freePort();
        this.httpPort = b.httpPort > 0 ? b.httpPort : freePort();
        this.modalities = List.copyOf(b.modalities);
        this.executable = b.executable;
        this.startTimeout = b.startTimeout;
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public static final class Builder {
        private final Path workDir;
        private String aet = "ORTHANC";
        private int dicomPort;
        private int httpPort;
        private final List<Modality> modalities = new ArrayList<>();
        private Path executable = DEFAULT_EXECUTABLE;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        public Builder aet(String aet) {
            this.aet = aet;
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder dicomPort(int port) {
            this.dicomPort = port;
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        public Builder modality(Modality modality) {
            modalities.add(modality);
            return this;
        }

        public Builder executable(Path executable) {
            this.executable = executable;
            return this;
        }

        /** How long {@link LocalOrthanc#start()} waits for the REST API (default 30 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public LocalOrthanc build() {
            return new LocalOrthanc(this);
        }

        public LocalOrthanc start() throws IOException, InterruptedException {
            return build().start();
        }
    }

    private Thread orphanGuard;

    /** Starts the process and waits until its REST API answers; if it does not, stops the process and throws. */
    public synchronized LocalOrthanc start() throws IOException, InterruptedException {
        if (isRunning()) {
            return this;
        }
        Path config = writeConfig();
        Path logDir = Files.createDirectories(workDir.resolve("logs"));
        ProcessBuilder pb = new ProcessBuilder(executable.toString(), "--logdir=" + logDir, config.toString())
                .redirectOutput(workDir.resolve("stdout.log").toFile())
                .redirectErrorStream(true);
        // Orthanc's DICOM layer (DCMTK) turns Nagle's algorithm off only when TCP_NODELAY is set; with Nagle on,
        // each DIMSE response waits for delayed ACKs and DICOM on loopback is about 10x slower.
        pb.environment().put("TCP_NODELAY", "1");
        long started = System.nanoTime();
        process = pb.start();
        // A JVM ended by SIGTERM or Ctrl-C does not unwind its try-with-resources: without this hook the Orthanc
        // child would outlive it, holding its ports and its index.
        Process child = process;
        orphanGuard = new Thread(child::destroy, "orthanc-" + aet + "-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(orphanGuard);
        try {
            awaitRestApi(startTimeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop(); // do not leave a half-started Orthanc holding the ports and the index
            throw e;
        }
        LOG.info("Orthanc {} up in {} ms: DICOM {}:{}, REST {}", aet, (System.nanoTime() - started) / 1_000_000,
                "localhost", dicomPort, restUrl());
        return this;
    }

    /** SIGTERM, then waits for the exit so that the next start does not find the SQLite index locked. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                LOG.warn("Orthanc {} ignored SIGTERM for 30 s; killing it", aet);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
        try {
            Runtime.getRuntime().removeShutdownHook(orphanGuard);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook itself is running or has run
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String aet() {
        return aet;
    }

    public int dicomPort() {
        return dicomPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path workDir() {
        return workDir;
    }

    public String restUrl() {
        return "http://localhost:" + httpPort;
    }

    public String instanceUrl(String orthancId) {
        return restUrl() + "/instances/" + orthancId;
    }

    /** The Orthanc id of the instance with this SOP Instance UID, if stored. */
    public Optional<String> findInstanceId(String sopInstanceUid) throws IOException, InterruptedException {
        return findInstanceId(restUrl(), sopInstanceUid, http);
    }

    /** Same lookup against any Orthanc REST endpoint (used by the sink's C-STORE target to report a URL). */
    public static Optional<String> findInstanceId(String restUrl, String sopInstanceUid, HttpClient http)
            throws IOException, InterruptedException {
        ObjectNode query = JSON.createObjectNode().put("Level", "Instance");
        query.putObject("Query").put("SOPInstanceUID", sopInstanceUid);
        HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl + "/tools/find")).timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(query.toString())).build();
        JsonNode ids = JSON.readTree(send(http, request).body());
        return ids.isArray() && ids.size() > 0 ? Optional.of(ids.get(0).asText()) : Optional.empty();
    }

    /** The stored DICOM file of an instance. */
    public byte[] downloadInstance(String orthancId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(instanceUrl(orthancId) + "/file"))
                .timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<byte[]> response = exchange(http, request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + request.uri() + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** Stores a DICOM file through REST (POST /instances) and returns its Orthanc id. */
    public String upload(Path dicomFile) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl() + "/instances")).timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofFile(dicomFile)).build();
        return JSON.readTree(send(http, request).body()).get("ID").asText();
    }

    public int countInstances() throws IOException, InterruptedException {
        return getJson("/statistics").get("CountInstances").asInt();
    }

    public JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(REQUEST_TIMEOUT).GET()
                .build();
        return JSON.readTree(send(http, request).body());
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request)
            throws IOException, InterruptedException {
        HttpResponse<String> response = exchange(http, request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return response;
    }

    private static <T> HttpResponse<T> exchange(HttpClient http, HttpRequest request,
            HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        try {
            return http.send(request, handler);
        } catch (HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            // Orthanc closes idle keep-alive connections after about a second; the client can pick such a
            // connection from its pool just as it closes. Every call here only reads, or uploads an instance
            // (storing the same instance twice leaves one copy), so one retry is safe.
            return http.send(request, handler);
        }
    }

    private Path writeConfig() throws IOException {
        Files.createDirectories(workDir);
        ObjectNode c = JSON.createObjectNode();
        c.put("Name", "NeuroStream " + aet);
        c.put("DicomAet", aet);
        c.put("DicomPort", dicomPort);
        c.put("HttpPort", httpPort);
        c.put("StorageDirectory", workDir.resolve("storage").toString());
        c.put("IndexDirectory", workDir.resolve("index").toString());
        c.put("RemoteAccessAllowed", false);
        c.put("AuthenticationEnabled", false);
        c.put("DicomCheckCalledAet", false);
        c.put("DicomAlwaysAllowStore", true); // any calling AE may store: the sink's AE need not be declared
        if (Files.exists(DICOMWEB_PLUGIN)) {
            c.putArray("Plugins").add(DICOMWEB_PLUGIN.toString());
        }
        ObjectNode mods = c.putObject("DicomModalities");
        for (Modality m : modalities) {
            mods.putArray(m.name()).add(m.aet()).add(m.host()).add(m.port());
        }
        Path config = workDir.resolve("orthanc.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), c);
        return config;
    }

    private void awaitRestApi(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl() + "/system"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Orthanc exited with " + process.exitValue() + " before answering; see "
                        + workDir.resolve("logs") + " and " + workDir.resolve("stdout.log"));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet, listening but not answering yet, or closing the connection while it starts
            }
            Thread.sleep(50);
        }
        throw new IOException("Orthanc REST " + restUrl() + " did not answer within " + timeout);
    }

    /** A port nothing listens on right now (tests also use it as a PACS that is down). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    @Override
    public String toString() {
        return "Orthanc " + aet + " (DICOM " + dicomPort + ", REST " + httpPort + ", " + workDir + ")";
    }
}
