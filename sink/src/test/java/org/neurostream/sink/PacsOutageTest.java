package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.neurostream.schemas.DeliveryStatus;
import org.neurostream.schemas.StudyRef;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;

/**
 * The PACS goes away for 60 s while results are being delivered (C-STORE and STOW-RS, real Kafka, real Orthanc):
 * the sink retries with backoff, and once Orthanc is back every result is there exactly once, counted through
 * Orthanc's REST API.
 */
class PacsOutageTest {
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    static Path tmp;
    static EmbeddedKafkaBroker broker;
    static LocalOrthanc orthanc;
    static SinkService sink;
    static KafkaProducer<String, byte[]> producer;
    static FileBlobStore blobs;
    static StudyRef current;
    static StudyRef prior;
    static final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    static final Queue<DeliveryOutcome> outcomes = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startEverything() throws Exception {
        assumeTrue(Files.isExecutable(LocalOrthanc.DEFAULT_EXECUTABLE), "Orthanc not installed");
        assumeTrue(Files.exists(LocalOrthanc.DICOMWEB_PLUGIN), "Orthanc DICOMweb plugin not installed");
        broker = new EmbeddedKafkaBroker().start();
        broker.createTopics(Topics.all(), 1);
        orthanc = LocalOrthanc.builder(tmp.resolve("orthanc")).aet("NSPACS").start();
        blobs = new FileBlobStore(tmp.resolve("blobs"));
        current = TestStudies.writeFlair(blobs, "outage-current", "20260112");
        prior = TestStudies.writeFlair(blobs, "outage-prior", "20250110");

        Properties props = new Properties();
        props.put("kafka.bootstrap.servers", broker.bootstrapServers());
        props.put("blobstore.root", blobs.root().toString());
        props.put("sink.group.id", "sink-outage-test");
        props.put("sink.pacs.port", String.valueOf(orthanc.dicomPort()));
        props.put("sink.pacs.called-aet", orthanc.aet());
        props.put("sink.stow.enabled", "true");
        props.put("sink.stow.url", orthanc.restUrl() + "/dicom-web");
        props.put("sink.http.timeout-ms", "5000");
        // 0.5 + 1 + 2 + 4 + 4 + … s: 30 attempts ride out far more than the 60 s outage.
        props.put("sink.retry.attempts", "30");
        props.put("sink.retry.initial-backoff-ms", "500");
        props.put("sink.retry.max-backoff-ms", "4000");
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
    void everyResultIsInThePacsExactlyOnceAfterAnOutage() throws Exception {
        List<AnalysisResult> results = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            results.add(TestStudies.withLesionsAndTissue(blobs, "outage-" + i, current, prior));
        }
        send(results.get(0));
        send(results.get(1));
        awaitOutcomes(results.get(1).getResultId(), 1);

        orthanc.stop();
        long down = System.nanoTime();
        for (AnalysisResult r : results.subList(2, 6)) {
            send(r);
        }
        send(results.get(0)); // a replay of a delivered result on top
        await(() -> metrics.find("neurostream.delivery.retries").tag("target", "pacs").counter() != null,
                "a retry against the stopped PACS");
        Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - down) / 1_000_000));
        orthanc.start();
        long back = System.nanoTime();

        for (AnalysisResult r : results) {
            awaitOutcomes(r.getResultId(), r == results.get(0) ? 2 : 1);
        }
        System.out.printf("outage: PACS down %d s; all results delivered %d ms after it was back%n",
                (back - down) / 1_000_000_000, (System.nanoTime() - back) / 1_000_000);
        assertThat(outcomes).extracting(DeliveryOutcome::status).containsOnly(DeliveryOutcome.Status.DELIVERED);
        // SR, SEG and key image per result, each once, though each went through C-STORE and STOW-RS
        assertThat(orthanc.countInstances()).isEqualTo(6 * 3);
        for (AnalysisResult r : results) {
            for (String uid : List.of(DeterministicUids.srSopInstanceUid(r.getResultId()),
                    DeterministicUids.segSopInstanceUid(r.getResultId()),
                    DeterministicUids.keyImageSopInstanceUid(r.getResultId()))) {
                assertThat(orthanc.findInstanceId(uid)).as(uid).isPresent();
            }
        }
        assertThat(orthanc.getJson("/studies").size()).isEqualTo(1);

        List<DeliveryStatus> statuses = statuses();
        assertThat(statuses).anySatisfy(s -> {
            assertThat(s.getTarget()).isEqualTo("pacs");
            assertThat(s.getOutcome()).isEqualTo(org.neurostream.schemas.DeliveryOutcome.RETRYING);
            assertThat(s.getDetail()).contains(orthanc.aet() + "@localhost:" + orthanc.dicomPort());
        });
        for (AnalysisResult r : results) {
            for (String target : List.of("pacs", "pacs-stow")) {
                assertThat(statuses).as(r.getResultId() + " at " + target).anySatisfy(s -> {
                    assertThat(s.getResultId()).isEqualTo(r.getResultId());
                    assertThat(s.getTarget()).isEqualTo(target);
                    assertThat(s.getOutcome()).isEqualTo(org.neurostream.schemas.DeliveryOutcome.DELIVERED);
                    assertThat(s.getObjectIds()).hasSize(3);
                });
            }
        }
        assertThat(metrics.get("neurostream.deliveries").tags("target", "pacs", "outcome", "delivered").counter()
                .count()).isEqualTo(7);
        assertThat(metrics.find("neurostream.dead.letters").counter()).isNull();
    }

    private static void send(AnalysisResult result) throws Exception {
        producer.send(new ProducerRecord<>(Topics.ANALYSIS_RESULTS, result.getPatientKey(),
                AvroSerde.of(AnalysisResult.class).toBytes(result))).get();
    }

    private static List<DeliveryStatus> statuses() {
        AvroSerde<DeliveryStatus> serde = AvroSerde.of(DeliveryStatus.class);
        List<DeliveryStatus> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(Topics.DELIVERY_STATUS, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(serde.fromBytes(r.value()));
                }
            }
        }
        return out;
    }

    private static List<DeliveryOutcome> awaitOutcomes(String resultId, int count) throws InterruptedException {
        Supplier<List<DeliveryOutcome>> mine = () -> outcomes.stream()
                .filter(o -> o.resultId().equals(resultId)).toList();
        await(() -> mine.get().size() >= count, "outcomes for " + resultId);
        return mine.get();
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
