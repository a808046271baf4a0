package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.DeadLetter;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;
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
    void aPhantomPairSentByStorescuEndsAsOneResultAndAnSrInOrthancWhileABrokenSeriesIsRejected() throws Exception {
        List<Series> cohort = new PhantomCohort(77).write(dir.resolve("cohort"), 2, 0);
        Series baseline = find(cohort, 1, Visit.BASELINE);
        Series followUp = find(cohort, 1, Visit.FOLLOW_UP);
        Series otherBaseline = find(cohort, 2, Visit.BASELINE);
        Path brokenFollowUp = withoutMiddleSlice(find(cohort, 2, Visit.FOLLOW_UP));
        String brokenSeriesUid = find(cohort, 2, Visit.FOLLOW_UP).seriesUid();
        Map<String, DeliveryOutcome> deliveries = new ConcurrentHashMap<>();
        Path srFolder = dir.resolve("sr");
        // Every log line of every service (slf4j-simple writes to the current System.err), at DEBUG for ours.
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream console = System.err;
        System.setErr(new PrintStream(new TeeOutputStream(console, logs), true, StandardCharsets.UTF_8));

        AllInOne.Options options = new AllInOne.Options(dir.resolve("work"), srFolder, Repo.modelDir(),
                Duration.ofSeconds(2));
        try (AllInOne all = AllInOne.start(options, o -> deliveries.put(o.resultId(), o));
                ResultWatcher results = new ResultWatcher(all.bootstrapServers())) {
            StoreScu.send("127.0.0.1", all.ingestPort(), all.ingestAet(), "SCANNER",
                    List.of(baseline.folder(), otherBaseline.folder()));
            assertThat(results.awaitSeries(List.of(baseline.seriesUid(), otherBaseline.seriesUid()),
                    Duration.ofMinutes(2))).isTrue();
            assertThat(results.resultsFor(baseline.seriesUid())).singleElement()
                    .extracting(AnalysisResult::getStatus).isEqualTo(AnalysisStatus.NO_PRIOR);

            // The broken follow-up goes first: the stream must reject it and still analyse the good one.
            StoreScu.send("127.0.0.1", all.ingestPort(), all.ingestAet(), "SCANNER", List.of(brokenFollowUp));
            StoreScu.send("127.0.0.1", all.ingestPort(), all.ingestAet(), "SCANNER", List.of(followUp.folder()));
            assertThat(results.awaitSeries(List.of(followUp.seriesUid(), brokenSeriesUid), Duration.ofMinutes(2)))
                    .isTrue();
            results.drain(Duration.ofSeconds(5)); // a duplicate would arrive within this window

            assertThat(results.all()).hasSize(4);
            AnalysisResult rejected = results.resultsFor(brokenSeriesUid).get(0);
            assertThat(rejected.getStatus()).isEqualTo(AnalysisStatus.REJECTED);
            assertThat(rejected.getReason()).contains(brokenSeriesUid).containsIgnoringCase("missing");
            assertThat(deadLetterReasons(all.bootstrapServers())).singleElement().isEqualTo(rejected.getReason());

            assertThat(results.resultsFor(followUp.seriesUid())).hasSize(1);
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
            // A TID 1500 measurement report carrying P(decline) to 4 decimals, as the sink writes it.
            assertThat(dump).contains("Imaging Measurement Report")
                    .contains("\"" + String.format(java.util.Locale.ROOT, "%.4f", result.getPDecline()) + "\"");
            assertThat(srFolder.resolve(delivery.srSopInstanceUid() + ".dcm")).exists();
        } finally {
            System.setErr(console);
        }
        String logText = logs.toString(StandardCharsets.UTF_8);
        assertThat(logText).contains(followUp.seriesUid()); // the capture works: UIDs are logged
        for (Series s : cohort) {
            assertThat(logText).as("patient data in the logs").doesNotContain(s.patientId())
                    .doesNotContain(s.patientName()).doesNotContain(s.patientName().replace('^', ' '));
        }
    }

    private static Series find(List<Series> cohort, int subject, Visit visit) {
        return cohort.stream().filter(s -> s.subject() == subject && s.visit() == visit).findFirst().orElseThrow();
    }

    /** A copy of the series with its middle slice left out, as when a transfer loses an instance. */
    private Path withoutMiddleSlice(Series series) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("broken-" + series.subject()));
        List<Path> files = series.files();
        for (int i = 0; i < files.size(); i++) {
            if (i != files.size() / 2) {
                Files.copy(files.get(i), copy.resolve(files.get(i).getFileName()));
            }
        }
        return copy;
    }

    private static List<String> deadLetterReasons(String bootstrapServers) {
        List<String> reasons = new java.util.ArrayList<>();
        try (KafkaConsumer<String, DeadLetter> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-dead-letters",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), AvroSerde.of(DeadLetter.class).deserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (reasons.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> reasons.add(r.value().getReason()));
            }
            consumer.poll(Duration.ofSeconds(2)).forEach(r -> reasons.add(r.value().getReason()));
        }
        return reasons;
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
