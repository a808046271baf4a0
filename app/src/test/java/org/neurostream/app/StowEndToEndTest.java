package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.config.Settings;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.ingest.IngestService;
import org.neurostream.pacs.LocalOrthanc;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.sink.DeliveryOutcome;

/**
 * The STOW-RS door end to end: a PACS (Orthanc) whose DICOMweb plugin has NeuroStream configured as a remote
 * DICOMweb server STOWs a patient's baseline and then follow-up study; the follow-up is paired with the baseline,
 * analysed and its SR delivered, exactly as for studies sent by C-STORE ({@link EndToEndTest}).
 *
 * <p>The STOW-RS ingest here is a second ingest service beside the all-in-one's own (which has no STOW door yet),
 * on the same Kafka and blob store, as a second ingest deployment would run.
 */
class StowEndToEndTest {
    private static final String TOKEN = "e2e-stow-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aStudyStowedByOrthancsDicomWebPluginIsPairedAnalysedAndReported() throws Exception {
        List<Series> cohort = new PhantomCohort(64).write(dir.resolve("cohort"), 1, 0);
        Series baseline = cohort.stream().filter(s -> s.visit() == Visit.BASELINE).findFirst().orElseThrow();
        Series followUp = cohort.stream().filter(s -> s.visit() == Visit.FOLLOW_UP).findFirst().orElseThrow();
        Map<String, DeliveryOutcome> deliveries = new ConcurrentHashMap<>();
        Path work = dir.resolve("work").toAbsolutePath();

        AllInOne.Options options = new AllInOne.Options(work, dir.resolve("sr"), Repo.modelDir(), Duration.ofSeconds(2));
        try (AllInOne all = AllInOne.start(options, o -> deliveries.put(o.resultId(), o));
                ResultWatcher results = new ResultWatcher(all.bootstrapServers());
                IngestService stowIngest = new IngestService(stowIngestConfig(all.bootstrapServers(), work)).start()) {
            LocalOrthanc pacs = all.orthanc();
            registerDicomWebServer(pacs, "neurostream", "http://127.0.0.1:" + stowIngest.stowPort() + "/");

            stow(pacs, upload(pacs, baseline));
            assertThat(results.awaitSeries(List.of(baseline.seriesUid()), Duration.ofMinutes(2))).isTrue();
            assertThat(results.resultsFor(baseline.seriesUid())).singleElement()
                    .extracting(AnalysisResult::getStatus).isEqualTo(AnalysisStatus.NO_PRIOR);

            stow(pacs, upload(pacs, followUp));
            assertThat(results.awaitSeries(List.of(followUp.seriesUid()), Duration.ofMinutes(2))).isTrue();
            results.drain(Duration.ofSeconds(3));

            AnalysisResult result = results.resultsFor(followUp.seriesUid()).get(0);
            assertThat(results.resultsFor(followUp.seriesUid())).hasSize(1);
            assertThat(result.getStatus()).isEqualTo(AnalysisStatus.ANALYSED);
            assertThat(result.getPrior().getStudyInstanceUid()).isEqualTo(baseline.studyUid());
            assertThat(result.getCurrent().getInstances()).hasSize(followUp.files().size());
            assertThat(result.getPDecline()).isBetween(0.0, 1.0);
            System.out.printf("STOW e2e: subject %d (truth: %s), P(decline)=%.3f%n", followUp.subject(),
                    followUp.declining() ? "declining" : "stable", result.getPDecline());

            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!deliveries.containsKey(result.getResultId()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(deliveries.get(result.getResultId())).isNotNull()
                    .extracting(DeliveryOutcome::status).isEqualTo(DeliveryOutcome.Status.DELIVERED);
            assertThat(stowIngest.metrics().storedCount()).isEqualTo(baseline.files().size() + followUp.files().size());
        }
    }

    /** As a second ingest deployment would be configured: same Kafka and blob store, STOW-RS on. */
    private static IngestConfig stowIngestConfig(String bootstrap, Path work) {
        Properties file = new Properties();
        file.setProperty("kafka.bootstrap.servers", bootstrap);
        file.setProperty("blobstore.root", work.resolve("blobs").toString());
        file.setProperty("patient.key.salt", "stow-e2e-salt");
        file.setProperty("ingest.ae.title", "NS_STOW");
        file.setProperty("ingest.port", "0");
        file.setProperty("ingest.quiet.period.ms", "2000");
        file.setProperty("ingest.stow.port", "0");
        file.setProperty("ingest.stow.bearer-token", TOKEN);
        return IngestConfig.from(new Settings(file, Map.of()));
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Stores the series in the PACS through its REST API; returns the Orthanc id of its study. */
    private static String upload(LocalOrthanc pacs, Series series) throws Exception {
        String instance = null;
        for (Path file : series.files()) {
            instance = pacs.upload(file);
        }
        return pacs.getJson("/instances/" + instance + "/study").get("ID").asText();
    }

    private static void registerDicomWebServer(LocalOrthanc pacs, String name, String url) throws Exception {
        var body = JSON.createObjectNode().put("Url", url);
        body.putObject("HttpHeaders").put("Authorization", "Bearer " + TOKEN);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(pacs.restUrl() + "/dicom-web/servers/" + name))
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** Orthanc's DICOMweb plugin, as its STOW-RS client: POST /dicom-web/servers/{name}/stow. */
    private static void stow(LocalOrthanc pacs, String orthancStudyId) throws Exception {
        var body = JSON.createObjectNode();
        body.putArray("Resources").add(orthancStudyId);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(pacs.restUrl() + "/dicom-web/servers/neurostream/stow")).timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
