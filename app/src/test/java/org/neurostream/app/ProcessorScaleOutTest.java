package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.broker.EmbeddedKafkaBroker;
import org.neurostream.config.Settings;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.ingest.IngestService;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.kafka.Topics;

/**
 * Scale-out: two processor processes (the real CLI, each its own JVM) share the patients of one broker; one is
 * killed with SIGKILL after it has analysed a pair, and the survivor takes over its partitions and state. Every
 * series still ends with exactly one committed result.
 */
class ProcessorScaleOutTest {
    private static final int PAIRS = 8;

    @TempDir
    Path dir;

    @Test
    void theSurvivorOfTwoInstancesFinishesEveryPairExactlyOnce() throws Exception {
        List<Series> cohort = new PhantomCohort(31).write(dir.resolve("cohort"), PAIRS, 0);
        List<Process> processors = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), false).start()) {
            broker.createTopics(Topics.all(), 4);
            Properties file = new Properties();
            file.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
            file.setProperty("blobstore.root", dir.resolve("blobs").toString());
            file.setProperty("patient.key.salt", "scale-out-test");
            file.setProperty("ingest.ae.title", "NEUROSTREAM");
            file.setProperty("ingest.port", "0");
            file.setProperty("ingest.quiet.period.ms", "1500");
            file.setProperty("processor.model-dir", Repo.modelDir().toString());
            // This test is about partitions changing hands, not preparation: keep each pair quick.
            file.setProperty("processor.brain-extraction-model-dir", "");
            // Notice the dead instance within seconds rather than the default 45 s.
            file.setProperty("processor.streams.consumer.session.timeout.ms", "6000");
            file.setProperty("processor.streams.consumer.heartbeat.interval.ms", "1000");
            // Two processes on one machine: each takes a free port for its /metrics (8080 would clash).
            file.setProperty("ops.port", "0");
            Path config = dir.resolve("neurostream.properties");
            try (var out = Files.newBufferedWriter(config)) {
                file.store(out, null);
            }
            try (IngestService ingest = new IngestService(IngestConfig.from(new Settings(file, Map.of())));
                    ResultWatcher results = new ResultWatcher(broker.bootstrapServers())) {
                ingest.start();
                Path logA = dir.resolve("processor-a.log");
                Path logB = dir.resolve("processor-b.log");
                processors.add(startProcessor(config, dir.resolve("state-a"), logA));
                processors.add(startProcessor(config, dir.resolve("state-b"), logB));
                awaitLine(logA, "processor running", Duration.ofMinutes(2));
                awaitLine(logB, "processor running", Duration.ofMinutes(2));

                List<Path> baselines = cohort.stream().filter(s -> s.visit() == Visit.BASELINE).map(Series::folder)
                        .toList();
                List<Path> followUps = cohort.stream().filter(s -> s.visit() == Visit.FOLLOW_UP).map(Series::folder)
                        .toList();
                StoreScu.send("127.0.0.1", ingest.port(), "NEUROSTREAM", "SCANNER", baselines);
                StoreScu.send("127.0.0.1", ingest.port(), "NEUROSTREAM", "SCANNER", followUps);

                // Kill whichever instance analyses a pair first, in the middle of the run.
                Process victim = awaitFirstAnalysis(processors.get(0), logA, processors.get(1), logB);
                Path survivorLog = victim == processors.get(0) ? logB : logA;
                victim.destroyForcibly();
                long survivorAnalysesAtKill = analyses(survivorLog);
                assertThat(victim.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(victim.exitValue()).isEqualTo(137);

                List<String> allSeries = cohort.stream().map(Series::seriesUid).toList();
                assertThat(results.awaitSeries(allSeries, Duration.ofMinutes(4)))
                        .as("every series has a result; logs in %s", dir).isTrue();
                results.drain(Duration.ofSeconds(8)); // a duplicate would show up here

                assertThat(results.all()).hasSize(2 * PAIRS);
                assertThat(results.all()).extracting(AnalysisResult::getResultId).doesNotHaveDuplicates();
                for (Series s : cohort) {
                    assertThat(results.resultsFor(s.seriesUid())).as(s.toString()).singleElement()
                            .extracting(AnalysisResult::getStatus)
                            .isEqualTo(s.visit() == Visit.BASELINE ? AnalysisStatus.NO_PRIOR : AnalysisStatus.ANALYSED);
                }
                Process survivor = processors.get(0) == victim ? processors.get(1) : processors.get(0);
                assertThat(survivor.isAlive()).isTrue();
                // The survivor went on working after the kill: the victim's patients became its own.
                assertThat(analyses(survivorLog)).isGreaterThan(survivorAnalysesAtKill);
            }
        } finally {
            for (Process p : processors) {
                p.destroy();
                if (!p.waitFor(40, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static Process startProcessor(Path config, Path stateDir, Path log) throws IOException {
        return CliProcess.start(List.of("processor", "--config", config.toString()), log,
                Map.of(Settings.envName("processor.state-dir"), stateDir.toString())).process();
    }

    private static long analyses(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("P(decline) ")).count();
    }

    private static Process awaitFirstAnalysis(Process a, Path logA, Process b, Path logB) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(logA).contains("P(decline) ")) {
                return a;
            }
            if (Files.readString(logB).contains("P(decline) ")) {
                return b;
            }
            assertThat(a.isAlive() && b.isAlive()).as("both processors still running").isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no processor analysed a pair within 3 minutes");
    }

    private static void awaitLine(Path log, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + text + "' not in " + log + " after " + timeout);
            }
            Thread.sleep(200);
        }
    }
}
