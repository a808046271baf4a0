package org.neurostream.ingest;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link SeriesReceived} to {@link Topics#SERIES_RECEIVED}, keyed by patient key so one patient's series
 * stay in order on one partition. The producer is idempotent with acks=all: it retries transient failures itself
 * (until delivery.timeout.ms) without duplicating; a final failure is logged with the series UID and counted,
 * and fails the returned future (the series tracker then does not count the series as emitted).
 */
public final class KafkaSeriesPublisher implements SeriesPublisher {
    private static final Logger log = LoggerFactory.getLogger(KafkaSeriesPublisher.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<String, SeriesReceived> producer;
    private final IngestMetrics metrics;
    /** The producer's own metrics (Kafka client binder) on the ingest registry; null for a given producer. */
    private KafkaClientMetrics clientMetrics;

    public KafkaSeriesPublisher(String bootstrapServers, String clientId, Map<String, String> clientSettings,
            IngestMetrics metrics) {
        this(new KafkaProducer<>(producerProperties(bootstrapServers, clientId, clientSettings), new StringSerializer(),
                AvroSerde.of(SeriesReceived.class).serializer()), metrics);
        clientMetrics = new KafkaClientMetrics(producer);
        clientMetrics.bindTo(metrics.registry());
    }

    KafkaSeriesPublisher(Producer<String, SeriesReceived> producer, IngestMetrics metrics) {
        this.producer = producer;
        this.metrics = metrics;
    }

    /** {@code clientSettings} (a site's security.protocol, SASL, TLS...) are applied over the defaults. */
    static Properties producerProperties(String bootstrapServers, String clientId, Map<String, String> clientSettings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence keeps in order
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putAll(clientSettings);
        return p;
    }

    @Override
    public CompletableFuture<Void> publish(SeriesReceived event) {
        String series = event.getSeriesInstanceUid();
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(Topics.SERIES_RECEIVED, event.getPatientKey(), event),
                    (metadata, error) -> {
                        if (error != null) {
                            metrics.publishFailed();
                            log.error("publishing SeriesReceived failed after retries: series={} eventId={} "
                                    + "patientKey={}: {}", series, event.getEventId(), event.getPatientKey(),
                                    error.toString());
                            acknowledged.completeExceptionally(error);
                        } else {
                            log.info("published SeriesReceived series={} eventId={} to {}-{}@{}", series,
                                    event.getEventId(), metadata.topic(), metadata.partition(), metadata.offset());
                            acknowledged.complete(null);
                        }
                    });
        } catch (RuntimeException e) {
            // send() itself fails only before handing over (serialisation, buffer full past max.block.ms, closed).
            metrics.publishFailed();
            log.error("could not hand SeriesReceived to the producer: series={} eventId={}: {}", series,
                    event.getEventId(), e.toString());
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    @Override
    public void close() {
        if (clientMetrics != null) {
            clientMetrics.close();
        }
        producer.close(CLOSE_TIMEOUT);
    }
}
