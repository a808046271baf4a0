package org.neurostream.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.neurostream.broker.EmbeddedKafkaBroker;
import org.neurostream.observability.OpsServer;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.DeliveryOutcome;
import org.neurostream.schemas.DeliveryStatus;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.NewLesions;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.StudyRef;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;

/** The page built from real topics on an embedded broker, fetched over HTTP from an ops server. */
class StatusServiceTest {
    private static final String PATIENT_KEY = "pk-0123456789abcdef";

    @Test
    void showsSeriesOutcomesFiguresAndDeliveriesButNeverThePatientKey() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start()) {
            broker.createTopics(Topics.all(), 1);
            SeriesReceived series = series("2.25.100", "2.25.101");
            AnalysisResult flair = result("r-flair", "2.25.100", "2.25.101", AnalysisStatus.ANALYSED, "paired");
            flair.setSeriesKind("FLAIR_3D");
            flair.setNewLesions(NewLesions.newBuilder().setCount(2).setTotalVolumeMl(0.75).setThreshold(0.5)
                    .setMinLesionVolumeMl(0.01).build());
            AnalysisResult rejected = result("r-bad", "2.25.200", "2.25.201", AnalysisStatus.REJECTED,
                    "series 2.25.201 has a missing slice");
            try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>(Topics.SERIES_RECEIVED, PATIENT_KEY,
                        AvroSerde.of(SeriesReceived.class).toBytes(series)));
                producer.send(new ProducerRecord<>(Topics.ANALYSIS_RESULTS, PATIENT_KEY,
                        AvroSerde.of(AnalysisResult.class).toBytes(flair)));
                producer.send(new ProducerRecord<>(Topics.ANALYSIS_RESULTS, PATIENT_KEY,
                        AvroSerde.of(AnalysisResult.class).toBytes(rejected)));
                for (int attempt = 1; attempt <= 2; attempt++) {
                    DeliveryStatus status = DeliveryStatus.newBuilder().setResultId("r-flair").setTarget("pacs-cstore")
                            .setOutcome(attempt == 1 ? DeliveryOutcome.RETRYING : DeliveryOutcome.DELIVERED)
                            .setAttempt(attempt).setAtMillis(1_700_000_000_000L + attempt).build();
                    producer.send(new ProducerRecord<>(Topics.DELIVERY_STATUS, "r-flair",
                            AvroSerde.of(DeliveryStatus.class).toBytes(status)));
                }
            }
            try (StatusService status = new StatusService(broker.bootstrapServers(), Map.of(), 50).start();
                    OpsServer ops = OpsServer.start("status-test", 0, () -> true)) {
                ops.page(StatusService.PATH, status.handler());
                // Five events written above: wait (bounded) until the view has read them all.
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (status.view().snapshot().eventsRead() < 5 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        ops.url().resolve("status")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
                String html = page.body();
                assertThat(html).contains("2.25.101", "FLAIR_3D", "2 (0.75 ml)", "REJECTED",
                        "series 2.25.201 has a missing slice", "c-store:SCANNER", "key image: not produced yet");
                // one row per result and target: the latest attempt
                assertThat(html).contains("DELIVERED").doesNotContain(">RETRYING<");
                assertThat(html).doesNotContain(PATIENT_KEY);
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static SeriesReceived series(String study, String seriesUid) {
        return SeriesReceived.newBuilder().setEventId("e-" + seriesUid).setPatientKey(PATIENT_KEY)
                .setStudyInstanceUid(study).setSeriesInstanceUid(seriesUid)
                .setInstances(List.of(InstanceRef.newBuilder().setSopInstanceUid(seriesUid + ".1")
                        .setSopClassUid("1.2.840.10008.5.1.4.1.1.4").setBlobRef("sha256:00").build()))
                .setSource("c-store:SCANNER").setFirstReceivedAtMillis(1_700_000_000_000L)
                .setCompletedAtMillis(1_700_000_010_000L).build();
    }

    private static AnalysisResult result(String id, String study, String seriesUid, AnalysisStatus status,
            String reason) {
        return AnalysisResult.newBuilder().setResultId(id).setPatientKey(PATIENT_KEY).setStatus(status)
                .setReason(reason)
                .setCurrent(StudyRef.newBuilder().setStudyInstanceUid(study).setSeriesInstanceUid(seriesUid)
                        .setInstances(List.of()).build())
                .setModels(List.of(ModelInfo.newBuilder().setName("new-lesion").setVersion("1").setSha256("00")
                        .setDevice("cpu").build()))
                .setCreatedAtMillis(1_700_000_010_000L).build();
    }
}
