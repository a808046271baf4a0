package org.neurostream.status;

import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.neurostream.observability.OpsServer;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.DeliveryStatus;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link Topics#SERIES_RECEIVED}, {@link Topics#ANALYSIS_RESULTS} and {@link Topics#DELIVERY_STATUS} from
 * their beginning (no consumer group: every replica builds the same view and commits nothing) into a
 * {@link StatusView}, and serves it as HTML ({@link #handler()}, mounted on a service's ops server).
 */
public final class StatusService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusService.class);
    public static final String PATH = "/status";
    static final List<String> TOPICS = List.of(Topics.SERIES_RECEIVED, Topics.ANALYSIS_RESULTS, Topics.DELIVERY_STATUS);
    private static final AvroSerde<SeriesReceived> SERIES = AvroSerde.of(SeriesReceived.class);
    private static final AvroSerde<AnalysisResult> RESULTS = AvroSerde.of(AnalysisResult.class);
    private static final AvroSerde<DeliveryStatus> DELIVERIES = AvroSerde.of(DeliveryStatus.class);

    private final StatusView view;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private volatile boolean closing;

    /**
     * @param clientSettings extra Kafka client settings (security: {@code security.protocol}, SASL, TLS)
     * @param capacity       how many series, results and deliveries the page keeps
     */
    public StatusService(String bootstrapServers, Map<String, String> clientSettings, int capacity) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "neurostream-status");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only committed records: a result of an aborted processor transaction must not show.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putAll(clientSettings);
        this.view = new StatusView(capacity);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "neurostream-status");
        this.thread.setDaemon(true);
    }

    public StatusService start() {
        thread.start();
        return this;
    }

    public StatusView view() {
        return view;
    }

    /** The page, for {@link OpsServer#page}. */
    public HttpHandler handler() {
        return exchange -> OpsServer.send(exchange, 200, "text/html; charset=utf-8",
                StatusPage.render(view.snapshot(), Instant.now()));
    }

    private void run() {
        try {
            while (!closing) {
                if (consumer.assignment().isEmpty() && !assignAll()) {
                    Thread.sleep(1000); // topics not created yet
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("status page stopped reading Kafka", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private boolean assignAll() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return false;
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        LOG.info("status page reading {} partitions of {}", partitions.size(), TOPICS);
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            switch (record.topic()) {
                case Topics.SERIES_RECEIVED -> view.seriesReceived(SERIES.fromBytes(record.value()));
                case Topics.ANALYSIS_RESULTS -> view.analysisResult(RESULTS.fromBytes(record.value()));
                case Topics.DELIVERY_STATUS -> view.deliveryStatus(DELIVERIES.fromBytes(record.value()));
                default -> {
                    return;
                }
            }
            Metrics.counter("neurostream.status.events", "topic", record.topic()).increment();
        } catch (RuntimeException e) {
            LOG.warn("status page skipped an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
        }
    }

    @Override
    public void close() {
        closing = true;
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
