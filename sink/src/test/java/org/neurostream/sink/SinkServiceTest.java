package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.broker.EmbeddedKafkaBroker;
import org.neurostream.pacs.LocalOrthanc;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.DeadLetter;
import org.neurostream.schemas.StudyRef;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;

/** The whole sink on a real (embedded) Kafka and a real Orthanc. */
class SinkServiceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;
    static EmbeddedKafkaBroker broker;
    static LocalOrthanc orthanc;
    static SinkService sink;
    static KafkaProducer<String, byte[]> producer;
    static StudyRef prior;
    static StudyRef current;
    static final Queue<DeliveryOutcome> outcomes = new ConcurrentLinkedQueue<>();
    static final io.micrometer.core.instrument.simple.SimpleMeterRegistry metrics =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    @BeforeAll
    static void startEverything() throws Exception {
        assumeTrue(Files.isExecutable(LocalOrthanc.DEFAULT_EXECUTABLE), "Orthanc not installed");
        broker = new EmbeddedKafkaBroker().start();
        broker.createTopics(Topics.all(), 1);
        orthanc = LocalOrthanc.builder(tmp.resolve("orthanc")).aet("NSPACS").start();
        FileBlobStore blobs = new FileBlobStore(tmp.resolve("blobs"));
        prior = TestStudies.writeSeries(blobs, "prior", "20250110", 2);
        current = TestStudies.writeSeries(blobs, "current", "20260112", 2);

        Properties props = new Properties();
        props.put("kafka.bootstrap.servers", broker.bootstrapServers());
        props.put("blobstore.root", blobs.root().toString());
        props.put("sink.group.id", "sink-test");
        props.put("sink.folder.dir", tmp.resolve("out").toString());
        props.put("sink.pacs.port", String.valueOf(orthanc.dicomPort()));
        props.put("sink.pacs.called-aet", orthanc.aet());
        props.put("sink.pacs.rest-url", orthanc.restUrl());
        props.put("sink.retry.attempts", "3");
        props.put("sink.retry.initial-backoff-ms", "100");
        sink = SinkService.create(SinkConfig.from(props, Map.of()), outcomes::add, metrics).start();
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopEverything() {
        for (AutoCloseable c : new AutoCloseable[] {producer, sink, orthanc, broker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @Test
    void resultProducedTwiceEndsUpAsOneSrInOrthanc() throws Exception {
        AnalysisResult result = TestStudies.analysed("twice", current, prior, 0.9);
        send(result);
        send(result);

        List<DeliveryOutcome> mine = awaitOutcomes("twice", 2);
        assertThat(mine).extracting(DeliveryOutcome::status).containsOnly(DeliveryOutcome.Status.DELIVERED);
        String sop = mine.get(0).srSopInstanceUid();
        assertThat(mine.get(1).srSopInstanceUid()).isEqualTo(sop);
        String id = orthanc.findInstanceId(sop).orElseThrow();
        assertThat(mine.get(0).locations()).containsEntry("pacs", orthanc.instanceUrl(id));
        assertThat(instancesInSeries(DeterministicUids.srSeriesInstanceUid("twice"))).isEqualTo(1);
        assertThat(tmp.resolve("out").resolve(sop + ".dcm")).exists();
    }

    @Test
    void resultsWithoutAComparisonAreSkipped() throws Exception {
        send(TestStudies.noPrior("first-visit", current));
        DeliveryOutcome outcome = awaitOutcomes("first-visit", 1).get(0);
        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.SKIPPED);
        assertThat(outcome.srSopInstanceUid()).isNull();
        assertThat(orthanc.findInstanceId(DeterministicUids.srSopInstanceUid("first-visit"))).isEmpty();
    }

    @Test
    void orthancDownGivesADeadLetterAndTheNextResultIsDeliveredOnceItIsBack() throws Exception {
        AnalysisResult lost = TestStudies.analysed("while-down", current, prior, 0.3);
        orthanc.stop();
        try {
            send(lost);
            DeliveryOutcome failed = awaitOutcomes("while-down", 1).get(0);
            assertThat(failed.status()).isEqualTo(DeliveryOutcome.Status.FAILED);
            assertThat(failed.reason()).contains("pacs").contains(orthanc.aet() + "@localhost:" + orthanc.dicomPort());
            assertThat(failed.locations()).containsKey("folder"); // the folder target did its part

            DeadLetter letter = awaitDeadLetter("while-down");
            assertThat(letter.getStage()).isEqualTo("sink");
            assertThat(letter.getReason()).isEqualTo(failed.reason());
            assertThat(letter.getKey()).isEqualTo(lost.getPatientKey());
            assertThat(AvroSerde.of(AnalysisResult.class).fromBytes(bytes(letter.getPayload()))).isEqualTo(lost);
            assertThat(metrics.get("neurostream.dead.letters").tags("stage", "sink", "reason", "delivery-failed")
                    .counter().count()).isEqualTo(1);
            assertThat(metrics.get("neurostream.deliveries").tags("target", "pacs", "outcome", "failed").counter()
                    .count()).isEqualTo(1);
        } finally {
            orthanc.start();
        }
        send(TestStudies.analysed("after-restart", current, prior, 0.6));
        DeliveryOutcome delivered = awaitOutcomes("after-restart", 1).get(0);
        assertThat(delivered.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
        assertThat(orthanc.findInstanceId(delivered.srSopInstanceUid())).isPresent();
        assertThat(orthanc.findInstanceId(DeterministicUids.srSopInstanceUid("while-down"))).isEmpty();
    }

    private static void send(AnalysisResult result) throws Exception {
        producer.send(new ProducerRecord<>(Topics.ANALYSIS_RESULTS, result.getPatientKey(),
                AvroSerde.of(AnalysisResult.class).toBytes(result))).get();
    }

    private static List<DeliveryOutcome> awaitOutcomes(String resultId, int count) throws InterruptedException {
        Supplier<List<DeliveryOutcome>> mine = () -> outcomes.stream()
                .filter(o -> o.resultId().equals(resultId)).toList();
        await(() -> mine.get().size() >= count, "outcomes for " + resultId);
        return mine.get();
    }

    private static DeadLetter awaitDeadLetter(String subjectId) {
        AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class);
        try (KafkaConsumer<String, byte[]> letters = new KafkaConsumer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(Topics.DEAD_LETTERS, 0);
            letters.assign(List.of(partition));
            letters.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : letters.poll(Duration.ofMillis(500))) {
                    DeadLetter letter = serde.fromBytes(r.value());
                    if (subjectId.equals(letter.getSubjectId())) {
                        return letter;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter for " + subjectId);
    }

    private static int instancesInSeries(String seriesUid) throws Exception {
        Optional<JsonNode> series = Optional.empty();
        for (JsonNode s : orthanc.getJson("/series?expand")) {
            if (seriesUid.equals(s.path("MainDicomTags").path("SeriesInstanceUID").asText())) {
                series = Optional.of(s);
            }
        }
        return series.map(s -> s.get("Instances").size()).orElse(0);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
