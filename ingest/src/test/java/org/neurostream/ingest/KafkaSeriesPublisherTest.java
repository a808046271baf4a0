package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;

class KafkaSeriesPublisherTest {
    private final IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry());
    private final MockProducer<String, SeriesReceived> producer = new MockProducer<>(false, null,
            new StringSerializer(), AvroSerde.of(SeriesReceived.class).serializer());
    private final KafkaSeriesPublisher publisher = new KafkaSeriesPublisher(producer, metrics);

    @Test
    void producerIsIdempotentAndWaitsForAllReplicas() {
        Properties p = KafkaSeriesPublisher.producerProperties("broker:9092", "ingest-1", Map.of());

        assertThat(p).containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "ingest-1");
    }

    @Test
    void siteSecuritySettingsReachTheProducer() {
        Properties p = KafkaSeriesPublisher.producerProperties("broker:9093", "ingest-1",
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));

        assertThat(p).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    @Test
    void sendsToTheSeriesTopicKeyedByPatientKey() {
        CompletableFuture<Void> acknowledged = publisher.publish(event());
        assertThat(acknowledged).as("not before the broker answers").isNotDone();
        producer.completeNext();

        assertThat(acknowledged).isCompleted();

        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.SERIES_RECEIVED);
            assertThat(record.key()).isEqualTo("pk-abc");
        });
        assertThat(metrics.publishFailureCount()).isZero();
    }

    @Test
    void finalFailureIsLoggedWithTheSeriesUidAndCounted() {
        try (LogCapture logs = new LogCapture()) {
            CompletableFuture<Void> acknowledged = publisher.publish(event());
            producer.errorNext(new TimeoutException("delivery timed out"));

            assertThat(acknowledged).isCompletedExceptionally();

            assertThat(metrics.publishFailureCount()).isEqualTo(1);
            assertThat(logs.text()).contains("ERROR").contains("series=1.2.3.4").contains("delivery timed out");
        }
    }

    @Test
    void aSendRefusedBeforeHandOverFailsTheFutureAndIsCounted() {
        producer.close(); // send() now throws instead of calling back

        CompletableFuture<Void> acknowledged = publisher.publish(event());

        assertThat(acknowledged).isCompletedExceptionally();
        assertThat(metrics.publishFailureCount()).isEqualTo(1);
    }

    private static SeriesReceived event() {
        return SeriesReceived.newBuilder().setEventId("e1").setPatientKey("pk-abc").setStudyInstanceUid("1.2.3")
                .setSeriesInstanceUid("1.2.3.4")
                .setInstances(List.of(InstanceRef.newBuilder().setSopInstanceUid("1.2.3.4.1")
                        .setSopClassUid("1.2.840.10008.5.1.4.1.1.4").setBlobRef("sha256:00").build()))
                .setSource("c-store:X").setFirstReceivedAtMillis(1).setCompletedAtMillis(2).build();
    }
}
