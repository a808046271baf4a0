package org.neurostream.app.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.app.TeeOutputStream;
import org.neurostream.app.AllInOne;
import org.neurostream.app.ResultWatcher;
import org.neurostream.app.badinput.BadInputCorpus.Case;
import org.neurostream.app.badinput.BadInputCorpus.Door;
import org.neurostream.app.badinput.BadInputCorpus.Outcome;
import org.neurostream.imaging.DicomSliceReader;
import org.neurostream.observability.Observability;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.DeadLetter;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;

/**
 * The whole {@link BadInputCorpus} through the real path, as in the all-in-one deployment: DCMTK's storescu (or a
 * STOW-RS client for bytes storescu will not send) into ingest, the embedded broker, the processor with its model
 * and the sink. Every kind must end in its own reason code (ingest: refusal, metric, WARN line and dead letter;
 * processor: REJECTED result, WARN line and dead letter; not analysed: its reason in the log and no result), no
 * service may fall over, a good pair sent afterwards must still be analysed, and no log line may name a patient.
 */
class BadInputCorpusTest {
    private static final String REJECTED_METER = "neurostream.ingest.instances.rejected";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void everyKindOfBadInputEndsInItsReasonAndTheStreamKeepsFlowing() throws Exception {
        List<Case> corpus = BadInputCorpus.write(dir.resolve("corpus"));
        assertThat(corpus.stream().map(Case::name).distinct().count()).as("kinds of bad input")
                .isEqualTo(corpus.size()).isGreaterThanOrEqualTo(30);
        List<Series> good = new PhantomCohort(4242).write(dir.resolve("good"), 1, 0);
        Series goodBaseline = good.stream().filter(s -> s.visit() == Visit.BASELINE).findFirst().orElseThrow();
        Series goodFollowUp = good.stream().filter(s -> s.visit() == Visit.FOLLOW_UP).findFirst().orElseThrow();

        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream console = System.err;
        System.setErr(new PrintStream(new TeeOutputStream(console, logs), true, StandardCharsets.UTF_8));
        Map<String, AnalysisResult> rejectedResults = new LinkedHashMap<>();
        List<DeadLetter> deadLetters;
        AllInOne.Options options = new AllInOne.Options(dir.resolve("work"), dir.resolve("sr"),
                Path.of(System.getProperty("neurostream.repo", "..")).toAbsolutePath().normalize()
                        .resolve("models").resolve("change-classifier"),
                Duration.ofSeconds(2));
        MeterRegistry registry = Observability.registry();
        try (AllInOne all = AllInOne.start(options, outcome -> { });
                ResultWatcher results = new ResultWatcher(all.bootstrapServers())) {
            // Good priors first, so each broken follow-up meets its prior and reaches assembly.
            List<Case> followUps = corpus.stream().filter(c -> c.outcome() == Outcome.SERIES_REJECTED).toList();
            List<Path> priors = followUps.stream().map(c -> c.prior().get(0).getParent()).toList();
            List<String> priorSeries = new ArrayList<>();
            for (Case c : followUps) {
                priorSeries.add(DicomSliceReader.readHeader(c.prior().get(0)).seriesInstanceUid());
            }
            storescu(all, List.of(), priors);
            assertThat(results.awaitSeries(priorSeries, Duration.ofMinutes(2))).as("priors answered").isTrue();

            for (Case c : corpus) {
                double before = rejected(registry, c.reason());
                double refusedBefore = refused(registry, c.reason());
                if (c.door() == Door.C_STORE) {
                    storescu(all, c.senderOptions(), c.files());
                } else {
                    HttpResponse<String> response = stow(all.stowPort(), c.files());
                    assertThat(response.statusCode()).as(c.name() + ": STOW-RS status; " + response.body())
                            .isEqualTo(c.outcome() == Outcome.INGEST_REJECTED ? 409 : 200);
                }
                if (c.outcome() == Outcome.INGEST_REJECTED) {
                    // A C-STORE or STOW-RS request is answered only once ingest has judged each object.
                    assertThat(rejected(registry, c.reason()) - before)
                            .as(c.name() + ": neurostream_ingest_instances_rejected{reason=" + c.reason() + "}")
                            .isEqualTo(c.rejected());
                }
                if (c.outcome() == Outcome.CONTEXT_REFUSED) {
                    assertThat(refused(registry, c.reason()) - refusedBefore)
                            .as(c.name() + ": neurostream_ingest_requests_refused{door=c-store,reason=" + c.reason()
                                    + "}").isEqualTo(1);
                }
            }

            List<String> rejectedSeries = followUps.stream().map(Case::seriesUid).toList();
            assertThat(results.awaitSeries(rejectedSeries, Duration.ofMinutes(2))).as("follow-ups answered")
                    .isTrue();
            for (Case c : followUps) {
                rejectedResults.put(c.name(), results.resultsFor(c.seriesUid()).get(0));
            }

            // The stream still flows: a good pair sent after the corpus is analysed.
            storescu(all, List.of(), List.of(goodBaseline.folder()));
            assertThat(results.awaitSeries(List.of(goodBaseline.seriesUid()), Duration.ofMinutes(1))).isTrue();
            storescu(all, List.of(), List.of(goodFollowUp.folder()));
            assertThat(results.awaitSeries(List.of(goodFollowUp.seriesUid()), Duration.ofMinutes(2))).isTrue();
            assertThat(results.resultsFor(goodFollowUp.seriesUid())).singleElement()
                    .extracting(AnalysisResult::getStatus).isEqualTo(AnalysisStatus.ANALYSED);

            long expectedLetters = corpus.stream().filter(c -> c.outcome() == Outcome.INGEST_REJECTED)
                    .mapToInt(Case::rejected).sum() + followUps.size();
            deadLetters = deadLetters(all.bootstrapServers(), expectedLetters);
            for (Case c : corpus) {
                if (c.outcome() == Outcome.IGNORED) {
                    assertThat(results.resultsFor(c.seriesUid())).as(c.name() + ": no result").isEmpty();
                }
            }
            // Nothing fell over: every service still says it is ready.
            for (Map.Entry<String, URI> ops : all.opsUrls().entrySet()) {
                assertThat(status(ops.getValue().resolve("readyz"))).as(ops.getKey() + " /readyz").isEqualTo(200);
            }
        } finally {
            System.setErr(console);
        }

        String logText = logs.toString(StandardCharsets.UTF_8);
        Map<String, Long> ingestLetters = deadLetters.stream().filter(l -> l.getStage().equals("ingest"))
                .collect(Collectors.groupingBy(l -> code(l.getReason()), Collectors.counting()));
        Map<String, String> processorLetters = new HashMap<>();
        deadLetters.stream().filter(l -> l.getStage().equals("processor"))
                .forEach(l -> processorLetters.put(l.getSubjectId(), l.getReason()));
        Map<String, Long> expectedIngestLetters = corpus.stream()
                .filter(c -> c.outcome() == Outcome.INGEST_REJECTED)
                .collect(Collectors.groupingBy(Case::reason, Collectors.summingLong(Case::rejected)));
        assertThat(ingestLetters).as("ingest dead letters by reason code").isEqualTo(expectedIngestLetters);

        List<String> table = new ArrayList<>();
        for (Case c : corpus) {
            switch (c.outcome()) {
                case INGEST_REJECTED -> assertThat(logText).as(c.name() + ": WARN line")
                        .contains("[" + c.reason() + "] -> status");
                case CONTEXT_REFUSED -> assertThat(logText).as(c.name() + ": WARN line")
                        .contains("presentation context(s) refused").contains("[" + c.reason() + "]");
                case SERIES_REJECTED -> {
                    AnalysisResult result = rejectedResults.get(c.name());
                    assertThat(result.getStatus()).as(c.name()).isEqualTo(AnalysisStatus.REJECTED);
                    assertThat(result.getReason()).as(c.name() + ": result reason").startsWith(c.reason() + ": ");
                    assertThat(processorLetters.get(c.seriesUid())).as(c.name() + ": dead letter")
                            .isEqualTo(result.getReason());
                    assertThat(logText).as(c.name() + ": WARN line")
                            .contains("series " + c.seriesUid() + " of study")
                            .contains("rejected [" + c.reason() + "]");
                }
                case IGNORED -> assertThat(logText).as(c.name() + ": not-analysed line")
                        .containsPattern("series " + c.seriesUid().replace(".", "\\.")
                                + " of study \\S+: not analysed \\(.*" + java.util.regex.Pattern.quote(c.reason()));
            }
            table.add("| `" + c.name() + "` | " + c.description() + " | " + door(c.door()) + " | "
                    + outcome(c) + " |");
        }
        assertThat(processorLetters).as("processor dead letters: one per broken follow-up, none for the good pair")
                .hasSize((int) corpus.stream().filter(c -> c.outcome() == Outcome.SERIES_REJECTED).count());
        assertThat(logText).doesNotContain("OutOfMemoryError").doesNotContain("Exception in thread");
        assertThat(logText).contains(goodFollowUp.seriesUid()); // the capture works
        // Every corpus patient id ends in ZQX, every name starts BADINPUT^CASE (also the ones no Case names).
        assertThat(logText).as("patient data in the logs").doesNotContain("ZQX").doesNotContain("BADINPUT^")
                .doesNotContain("BADINPUT CASE");
        for (Case c : corpus) {
            assertThat(logText).as("patient data in the logs").doesNotContain(c.patientId())
                    .doesNotContain(c.patientName()).doesNotContain(c.patientName().replace('^', ' '));
        }
        System.out.println("| kind | what | door | ends in |\n| --- | --- | --- | --- |\n"
                + String.join("\n", table));
    }

    private static String door(Door door) {
        return door == Door.C_STORE ? "C-STORE (storescu)" : "STOW-RS";
    }

    private static String outcome(Case c) {
        return switch (c.outcome()) {
            case INGEST_REJECTED -> "refused by ingest: `" + c.reason() + "`";
            case CONTEXT_REFUSED -> "presentation context refused: `" + c.reason() + "` (sender cannot send it)";
            case SERIES_REJECTED -> "REJECTED result + dead letter: `" + c.reason() + "`";
            case IGNORED -> "not analysed: \"" + c.reason() + "\"";
        };
    }

    /** The code in front of a dead letter's reason ({@code <code>: <message>}). */
    private static String code(String reason) {
        int colon = reason.indexOf(": ");
        return colon < 0 ? reason : reason.substring(0, colon);
    }

    private static double refused(MeterRegistry registry, String reason) {
        Counter counter = registry.find("neurostream.ingest.requests.refused").tag("door", "c-store")
                .tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double rejected(MeterRegistry registry, String reason) {
        Counter counter = registry.find(REJECTED_METER).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** -nh: go on after a failed store, as a PACS pushing a study; ingest's side is what the test checks. */
    private static void storescu(AllInOne all, List<String> options, List<Path> filesOrFolders) throws Exception {
        List<String> command = new ArrayList<>(List.of("storescu", "--scan-directories", "--recurse", "-nh"));
        command.addAll(options);
        command.addAll(List.of("-aet", "BADSCU", "-aec", all.ingestAet(), "127.0.0.1",
                String.valueOf(all.ingestPort())));
        filesOrFolders.forEach(p -> command.add(p.toString()));
        Path log = Files.createTempFile("storescu", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("TCP_NODELAY", "1");
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("storescu finished").isTrue();
        Files.deleteIfExists(log);
    }

    private static HttpResponse<String> stow(int port, List<Path> files) throws Exception {
        String boundary = "badinput" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Path file : files) {
            body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.write(Files.readAllBytes(file));
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/studies"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int status(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Reads the dead-letter topic (read_committed, as any consumer) until {@code expected} letters arrived. */
    private static List<DeadLetter> deadLetters(String bootstrapServers, long expected) {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, DeadLetter> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bad-input-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), AvroSerde.of(DeadLetter.class).deserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (letters.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> letters.add(r.value()));
            }
            consumer.poll(Duration.ofSeconds(2)).forEach(r -> letters.add(r.value())); // nothing more expected
        }
        return letters;
    }
}
