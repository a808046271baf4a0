package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.sink.DeliveryOutcome;

/**
 * The walking skeleton end to end, every part real: embedded KRaft broker, ingest SCP fed by DCMTK's storescu,
 * Kafka Streams processor with the TensorFlow model, sink storing the SR into a real Orthanc, read back with
 * DCMTK's dsrdump.
 */
class EndToEndTest {
    @TempDir
    Path dir;

    @Test
    void aPhantomPairSentByStorescuEndsAsOneResultAndAnSrInOrthanc() throws Exception {
        List<Series> cohort = new PhantomCohort(77).write(dir.resolve("cohort"), 1, 0);
        Series baseline = cohort.stream().filter(s -> s.visit() == Visit.BASELINE).findFirst().orElseThrow();
        Series followUp = cohort.stream().filter(s -> s.visit() == Visit.FOLLOW_UP).findFirst().orElseThrow();
        Map<String, DeliveryOutcome> deliveries = new ConcurrentHashMap<>();
        Path srFolder = dir.resolve("sr");

        AllInOne.Options options = new AllInOne.Options(dir.resolve("work"), srFolder, Repo.modelDir(),
                Duration.ofSeconds(2));
        try (AllInOne all = AllInOne.start(options, o -> deliveries.put(o.resultId(), o));
                ResultWatcher results = new ResultWatcher(all.bootstrapServers())) {
            StoreScu.send("127.0.0.1", all.ingestPort(), all.ingestAet(), "SCANNER", List.of(baseline.folder()));
            assertThat(results.awaitSeries(List.of(baseline.seriesUid()), Duration.ofMinutes(2))).isTrue();
            assertThat(results.resultsFor(baseline.seriesUid())).singleElement()
                    .extracting(AnalysisResult::getStatus).isEqualTo(AnalysisStatus.NO_PRIOR);

            StoreScu.send("127.0.0.1", all.ingestPort(), all.ingestAet(), "SCANNER", List.of(followUp.folder()));
            assertThat(results.awaitSeries(List.of(followUp.seriesUid()), Duration.ofMinutes(2))).isTrue();
            results.drain(Duration.ofSeconds(5)); // a duplicate would arrive within this window

            assertThat(results.all()).hasSize(2);
            AnalysisResult result = results.resultsFor(followUp.seriesUid()).get(0);
            assertThat(result.getStatus()).isEqualTo(AnalysisStatus.ANALYSED);
            assertThat(result.getPrior().getStudyInstanceUid()).isEqualTo(baseline.studyUid());
            assertThat(result.getCurrent().getInstances()).hasSize(followUp.files().size());
            assertThat(result.getPDecline()).isBetween(0.0, 1.0);
            assertThat(result.getModels()).singleElement().satisfies(m -> {
                assertThat(m.getName()).isEqualTo("change-classifier");
                assertThat(m.getSha256()).hasSize(64);
            });
            assertThat(result.getStageMillis()).containsKeys("assembly-prior", "assembly-current", "inference");

            DeliveryOutcome delivery = awaitDelivery(deliveries, result.getResultId());
            assertThat(delivery.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
            String orthancId = all.orthanc().findInstanceId(delivery.srSopInstanceUid()).orElseThrow();
            Path sr = Files.write(dir.resolve("fetched-sr.dcm"), all.orthanc().downloadInstance(orthancId));
            String dump = run("dsrdump", sr.toString());
            assertThat(dump).contains("Longitudinal brain MRI comparison")
                    .contains(String.format(java.util.Locale.ROOT, "%.3f", result.getPDecline()).substring(0, 4));
            assertThat(srFolder.resolve(delivery.srSopInstanceUid() + ".dcm")).exists();
        }
    }

    private static DeliveryOutcome awaitDelivery(Map<String, DeliveryOutcome> deliveries, String resultId)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!deliveries.containsKey(resultId) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(deliveries).containsKey(resultId);
        return deliveries.get(resultId);
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s exit code; output:%n%s", command[0], out).isZero();
        return out;
    }
}
