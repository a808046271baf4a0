package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.phantom.PhantomCohort;

/** STOW-RS throughput with phantom series, one request per series, two client connections; prints the figures. */
class StowRsThroughputTest {
    @TempDir
    Path dir;

    @Test
    void storesPhantomSeriesSentConcurrently() throws Exception {
        List<PhantomCohort.Series> cohort = new PhantomCohort(12).write(dir.resolve("cohort"),
                Integer.getInteger("neurostream.stow.pairs", 2), 0);
        List<byte[]> bodies = new ArrayList<>();
        long bytes = 0;
        int instances = 0;
        for (PhantomCohort.Series s : cohort) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Path f : s.files()) {
                body.write("--b0undary\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                body.write(Files.readAllBytes(f));
                body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                instances++;
            }
            body.write("--b0undary--\r\n".getBytes(StandardCharsets.US_ASCII));
            bodies.add(body.toByteArray());
            bytes += body.size();
        }
        IngestConfig config = new IngestConfig("NS_STOW", 0, dir.resolve("blobs"), Duration.ofSeconds(1),
                "unused:9092", "test", "salt").withStow(new IngestConfig.StowOptions(0, "", 1L << 30));
        HttpClient http = HttpClient.newHttpClient();
        RecordingPublisher publisher = new RecordingPublisher();
        try (IngestService service = new IngestService(config, new SimpleMeterRegistry(), Clock.systemUTC(), publisher)
                .start()) {
            URI uri = URI.create("http://127.0.0.1:" + service.stowPort() + "/studies");
            ExecutorService clients = Executors.newFixedThreadPool(2);
            long started = System.nanoTime();
            List<Future<Integer>> statuses = new ArrayList<>();
            for (byte[] body : bodies) {
                statuses.add(clients.submit(() -> http.send(HttpRequest.newBuilder(uri)
                        .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=b0undary")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(200);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            clients.shutdown();
            System.out.printf("STOW-RS: %d instances, %.1f MB in %.2f s: %.0f instances/s, %.1f MB/s%n", instances,
                    bytes / 1e6, seconds, instances / seconds, bytes / 1e6 / seconds);
            assertThat(service.metrics().storedCount()).isEqualTo(instances);
        }
        assertThat(publisher.events).hasSize(cohort.size());
    }
}
