package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.broker.EmbeddedKafkaBroker;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;

/** Embedded KRaft broker + IngestService as configured for production + storescu + a plain consumer. */
class KafkaEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void storedSeriesArrivesOnTheSeriesTopic() throws Exception {
        assumeTrue(Dcmtk.available(), "DCMTK is not installed");
        TestMrSeries series = TestMrSeries.write(Files.createDirectory(dir.resolve("series")), 4);

        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start()) {
            broker.createTopics(Topics.all(), 3);
            IngestConfig config = IngestConfig.load(null, Map.of(
                    "NEUROSTREAM_INGEST_PORT", "0",
                    "NEUROSTREAM_INGEST_AE_TITLE", "NS_E2E",
                    "NEUROSTREAM_INGEST_QUIET_PERIOD_MS", "500",
                    "NEUROSTREAM_BLOBSTORE_ROOT", dir.resolve("blobs").toString(),
                    "NEUROSTREAM_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "NEUROSTREAM_PATIENT_KEY_SALT", "e2e-salt"));

            List<ConsumerRecord<String, SeriesReceived>> records;
            try (IngestService service = new IngestService(config).start()) {
                Dcmtk.Result store = Dcmtk.storescu(service.port(), "NS_E2E", series.files);
                assertThat(store.exitCode()).as(store.output()).isZero();
                records = consume(broker.bootstrapServers(), 1);

                for (InstanceRef ref : records.get(0).value().getInstances()) {
                    assertThat(service.blobStore().contains(ref.getBlobRef())).isTrue();
                }
            }

            SeriesReceived event = records.get(0).value();
            assertThat(records.get(0).key()).isEqualTo(event.getPatientKey())
                    .isEqualTo(new PatientKeyDeriver("e2e-salt").derive(TestMrSeries.ISSUER, TestMrSeries.PATIENT_ID));
            assertThat(event.getSeriesInstanceUid()).isEqualTo(series.seriesUid);
            assertThat(event.getInstances()).extracting(InstanceRef::getSopInstanceUid)
                    .containsExactlyElementsOf(series.sopUids);
        }
    }

    private static List<ConsumerRecord<String, SeriesReceived>> consume(String bootstrap, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "ingest-e2e-test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, SeriesReceived>> records = new ArrayList<>();
        try (KafkaConsumer<String, SeriesReceived> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                AvroSerde.of(SeriesReceived.class).deserializer())) {
            consumer.subscribe(List.of(Topics.SERIES_RECEIVED));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).hasSize(expected);
        return records;
    }
}
