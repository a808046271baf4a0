package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.schemas.InstanceRef;

/** The STOW-RS door against the JDK's HTTP client: bad input is refused clearly, counted, and loses no valid part. */
class StowRsServerTest {
    private static final String TOKEN = "t0ken-for-tests";
    private static final long MAX_BODY = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final RecordingPublisher publisher = new RecordingPublisher();
    private final HttpClient http = HttpClient.newHttpClient();
    private IngestService service;
    private TestMrSeries series;

    @BeforeEach
    void start() throws Exception {
        IngestConfig config = new IngestConfig("NS_STOW", 0, dir.resolve("blobs"), Duration.ofMillis(300),
                "unused:9092", "test", "salt").withStow(new IngestConfig.StowOptions(0, TOKEN, MAX_BODY));
        service = new IngestService(config, new SimpleMeterRegistry(), Clock.systemUTC(), publisher).start();
        series = TestMrSeries.write(Files.createDirectory(dir.resolve("series")), 4);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void aNonDicomPartFailsAloneAndTheValidPartsAreStoredAndAnnounced() throws Exception {
        Part text = new Part("text/plain", "Findings: none.\n".getBytes(StandardCharsets.UTF_8));
        Part garbage = new Part("application/dicom", "not a dicom file at all".repeat(20).getBytes());
        List<Part> parts = Stream.concat(series.files.stream().map(StowRsServerTest::dicom),
                Stream.of(text, garbage)).toList();

        try (LogCapture logs = new LogCapture()) {
            HttpResponse<String> response = post("/studies", "Bearer " + TOKEN, parts, false);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/dicom+json");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.at("/00081199/Value")).hasSize(4);
            assertThat(body.at("/00081199/Value/0/00081155/Value/0").asText()).isEqualTo(series.sopUids.get(0));
            JsonNode failed = body.at("/00081198/Value");
            assertThat(failed).hasSize(2);
            assertThat(failed.get(0).at("/00081197/Value/0").asInt()).isEqualTo(0xC000);
            assertThat(failed.get(1).at("/00081197/Value/0").asInt()).isEqualTo(0xC000);
            assertThat(logs.text()).contains("media type text/plain is not application/dicom")
                    .doesNotContain(TestMrSeries.PATIENT_ID);
        }
        assertThat(service.metrics().rejectedCount("unsupported-media-type")).isEqualTo(1);
        assertThat(service.metrics().rejectedCount("unparseable")).isEqualTo(1);
        Await.until(() -> publisher.events.size() == 1, Duration.ofSeconds(10), "series event");
        assertThat(publisher.events.get(0).getInstances()).extracting(InstanceRef::getSopInstanceUid)
                .containsExactlyElementsOf(series.sopUids);
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aChunkedBodyWithAPreambleAndTheStudyInThePathIsAccepted() throws Exception {
        HttpResponse<String> response = post("/dicom-web/studies/" + series.studyUid, "Bearer " + TOKEN,
                series.files.stream().map(StowRsServerTest::dicom).toList(), true);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/00081199/Value")).hasSize(4);
    }

    @Test
    void instancesOfAnotherStudyThanTheAddressedOneFail() throws Exception {
        HttpResponse<String> response = post("/studies/1.2.3.999", "Bearer " + TOKEN,
                List.of(dicom(series.files.get(0))), false);

        assertThat(response.statusCode()).isEqualTo(409); // none stored
        assertThat(JSON.readTree(response.body()).at("/00081198/Value/0/00081197/Value/0").asInt()).isEqualTo(0xA900);
        assertThat(service.metrics().rejectedCount("study-mismatch")).isEqualTo(1);
        assertThat(service.metrics().storedCount()).isZero();
    }

    @Test
    void aMissingOrWrongTokenIsRefusedWith401AndCounted() throws Exception {
        List<Part> parts = List.of(dicom(series.files.get(0)));
        try (LogCapture logs = new LogCapture()) {
            assertThat(post("/studies", null, parts, false).statusCode()).isEqualTo(401);
            HttpResponse<String> wrong = post("/studies", "Bearer guess", parts, false);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(logs.text()).contains("missing or wrong bearer token").doesNotContain(TOKEN);
        }
        assertThat(service.metrics().refusedCount("stow-rs", "unauthorized")).isEqualTo(2);
        assertThat(service.metrics().storedCount()).isZero();
    }

    @Test
    void anOversizedBodyIsRefusedWith413WhetherItsLengthIsAnnouncedOrNot() throws Exception {
        byte[] big = new byte[(int) MAX_BODY + 1];
        List<Part> parts = List.of(new Part("application/dicom", big));

        HttpResponse<String> announced = post("/studies", "Bearer " + TOKEN, parts, false);
        assertThat(announced.statusCode()).isEqualTo(413);
        assertThat(announced.body()).contains("exceeds the limit");

        // Chunked: the first (valid) part is stored before the limit is hit, and stays stored.
        List<Part> validThenBig = List.of(dicom(series.files.get(0)), new Part("application/dicom", big));
        HttpResponse<String> streamed = post("/studies", "Bearer " + TOKEN, validThenBig, true);
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(streamed.body()).contains("1 instance(s) before the limit were stored");
        assertThat(service.metrics().refusedCount("stow-rs", "too-large")).isEqualTo(2);
        assertThat(service.metrics().storedCount()).isEqualTo(1);
    }

    @Test
    void notMultipartAndWrongMethodOrPathAreRefused() throws Exception {
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(uri("/studies"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(http.send(HttpRequest.newBuilder(uri("/studies")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(http.send(HttpRequest.newBuilder(uri("/patients")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(service.metrics().refusedCount("stow-rs", "unsupported-media-type")).isEqualTo(1);
    }

    record Part(String contentType, byte[] bytes) {
    }

    static Part dicom(Path file) {
        try {
            return new Part("application/dicom", Files.readAllBytes(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> post(String path, String authorization, List<Part> parts, boolean chunked)
            throws Exception {
        String boundary = "nsBoundary" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            body.write("a preamble that the parser must skip\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        for (Part part : parts) {
            body.write(("--" + boundary + "\r\nContent-Type: " + part.contentType() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.write(part.bytes());
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = body.toByteArray();
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)) // no length: chunked
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json").POST(publisher);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.stowPort() + path);
    }

    private List<Path> spoolFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("blobs/incoming-stow"))) {
            return files.toList();
        }
    }
}
