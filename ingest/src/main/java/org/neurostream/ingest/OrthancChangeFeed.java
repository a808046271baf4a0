package org.neurostream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows an existing Orthanc's change log ({@code GET /changes}) instead of waiting for it to C-STORE: for every
 * {@code StableStudy} change (Orthanc has received no instance of the study for its StableAge), downloads the
 * study's instances through Orthanc's REST API ({@code /instances/{id}/file}: the stored bytes, unchanged) and
 * feeds them through the shared pipeline, then publishes the study's series at once (Orthanc already decided the
 * study is whole).
 *
 * <p>Restart safety: the position (last change sequence number) is written to a state file only after every series
 * of the study is acknowledged by Kafka, one study at a time. A restart therefore resumes after the last study that
 * fully reached Kafka: none is missed, and only a crash in the instant between the acknowledgement and the state
 * write repeats one study, with the same event ids (content-derived), which consumers already treat as duplicates.
 * On its very first start (no state file) the feed begins at Orthanc's current position: history is what the import
 * command is for.
 */
public final class OrthancChangeFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrthancChangeFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOOR = "orthanc-changes";
    private static final int PAGE = 100;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofMinutes(2);

    private final IngestConfig.ChangeFeedOptions options;
    private final Path spoolDir;
    private final IngestPipeline pipeline;
    private final String source;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Counter studies;
    private volatile long position = -1;
    private volatile boolean closing;
    private Thread thread;

    public OrthancChangeFeed(IngestConfig.ChangeFeedOptions options, Path spoolDir, IngestPipeline pipeline) {
        this.options = options;
        this.spoolDir = spoolDir;
        this.pipeline = pipeline;
        this.source = DOOR + ":" + options.url();
        this.authorization = options.username().isEmpty() ? null : "Basic " + Base64.getEncoder().encodeToString(
                (options.username() + ":" + options.password()).getBytes(StandardCharsets.UTF_8));
        this.studies = pipeline.metrics().registry().counter("neurostream.ingest.changes.studies");
    }

    public synchronized OrthancChangeFeed start() throws IOException {
        Spool.removeLeftovers(spoolDir);
        thread = new Thread(this::run, "orthanc-changes");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** The last change sequence number fully processed (-1 before the first poll). */
    public long position() {
        return position;
    }

    /** Studies whose series all reached Kafka through this feed since start. */
    public long studiesProcessed() {
        return (long) studies.count();
    }

    @Override
    public void close() {
        closing = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Duration backoff = options.pollInterval();
        while (!closing) {
            try {
                if (position < 0) {
                    position = initialPosition();
                    log.info("following Orthanc changes at {} from change {}", options.url(), position);
                }
                boolean done = pollOnce();
                backoff = options.pollInterval();
                if (done) {
                    sleep(options.pollInterval());
                }
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // Orthanc down or unreachable, a publish that failed: the same change is tried again.
                log.warn("Orthanc change feed {}: {}; retrying in {} ms", options.url(), e.toString(),
                        backoff.toMillis());
                try {
                    sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1)
                        : backoff.multipliedBy(2);
            }
        }
    }

    /** Processes one page of changes; true when Orthanc said there are no more for now. */
    private boolean pollOnce() throws IOException, InterruptedException {
        JsonNode page = getJson("/changes?since=" + position + "&limit=" + PAGE);
        for (JsonNode change : page.path("Changes")) {
            if (closing) {
                return false;
            }
            long seq = change.path("Seq").asLong();
            if ("StableStudy".equals(change.path("ChangeType").asText())) {
                processStudy(change.path("ID").asText(), seq);
            }
            position = seq;
            savePosition(seq);
        }
        if (page.path("Changes").isEmpty() && page.has("Last") && page.path("Last").asLong() > position) {
            position = page.path("Last").asLong(); // e.g. changes Orthanc has already pruned from its log
            savePosition(position);
        }
        return page.path("Done").asBoolean(true);
    }

    private void processStudy(String orthancStudyId, long seq) throws IOException, InterruptedException {
        long started = System.nanoTime();
        JsonNode instances;
        try {
            instances = getJson("/studies/" + orthancStudyId + "/instances");
        } catch (NotFoundException e) {
            log.info("change {}: study {} is no longer in Orthanc; skipped", seq, orthancStudyId);
            return;
        }
        Set<String> series = new LinkedHashSet<>();
        String studyUid = null;
        int stored = 0;
        for (JsonNode instance : instances) {
            IngestOutcome outcome = fetchAndIngest(instance.path("ID").asText());
            if (outcome != null && outcome.stored()) {
                series.add(outcome.seriesInstanceUid());
                studyUid = outcome.studyInstanceUid();
                stored++;
            }
        }
        try {
            pipeline.complete(series).get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IOException("series of study " + studyUid + " not acknowledged by Kafka: " + e, e);
        }
        studies.increment();
        log.info("change {}: study {} ({} of {} instances stored, {} series) taken from Orthanc in {} ms", seq,
                studyUid, stored, instances.size(), series.size(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Null when the instance vanished from Orthanc meanwhile. */
    private IngestOutcome fetchAndIngest(String orthancInstanceId) throws IOException, InterruptedException {
        Path spool = Spool.create(spoolDir, "orthanc-");
        try {
            HttpResponse<InputStream> response = send("/instances/" + orthancInstanceId + "/file",
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() == 404) {
                    return null;
                }
                if (response.statusCode() != 200) {
                    throw new IOException("GET instance file answered " + response.statusCode());
                }
                Files.copy(body, spool, StandardCopyOption.REPLACE_EXISTING);
            }
            return pipeline.ingestor().ingest(spool, null, null, source, null);
        } finally {
            Spool.deleteQuietly(spool);
        }
    }

    private long initialPosition() throws IOException, InterruptedException {
        Properties state = new Properties();
        if (Files.exists(options.stateFile())) {
            try (Reader in = Files.newBufferedReader(options.stateFile())) {
                state.load(in);
            }
            if (options.url().equals(state.getProperty("url"))) {
                return Long.parseLong(state.getProperty("last-seq", "0"));
            }
            log.warn("state file {} belongs to {}, not {}: starting at the current position",
                    options.stateFile(), state.getProperty("url"), options.url());
        }
        long last = getJson("/changes?last").path("Last").asLong();
        savePosition(last);
        return last;
    }

    /** Atomic replace: a crash leaves the old position or the new one, never a torn file. */
    private void savePosition(long seq) throws IOException {
        Path file = options.stateFile();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Properties state = new Properties();
        state.setProperty("url", options.url());
        state.setProperty("last-seq", Long.toString(seq));
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp)) {
            state.store(out, "NeuroStream: last Orthanc change fully processed");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(path, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            throw new NotFoundException(path);
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    private <T> HttpResponse<T> send(String path, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(options.url() + path))
                .timeout(REQUEST_TIMEOUT).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), handler);
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    private static final class NotFoundException extends IOException {
        NotFoundException(String path) {
            super("not found: " + path);
        }
    }
}
