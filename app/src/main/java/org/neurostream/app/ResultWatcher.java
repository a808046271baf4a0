package org.neurostream.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;

/**
 * Reads the AnalysisResult topic as any downstream consumer would (read_committed: only results of committed
 * Streams transactions), collecting results by the follow-up series they are about.
 */
public final class ResultWatcher implements AutoCloseable {
    private final KafkaConsumer<String, AnalysisResult> consumer;
    private final Map<String, List<AnalysisResult>> bySeries = new ConcurrentHashMap<>();

    public ResultWatcher(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "neurostream-watcher-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), AvroSerde.of(AnalysisResult.class).deserializer());
        consumer.subscribe(List.of(Topics.ANALYSIS_RESULTS));
    }

    /** Polls until every given series has at least one result, or the timeout passes; returns whether they all do. */
    public boolean awaitSeries(List<String> seriesUids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!bySeries.keySet().containsAll(seriesUids)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            poll(Duration.ofMillis(500));
        }
        return true;
    }

    /** Polls for a while to pick up anything else (a duplicate would show up here). */
    public void drain(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
    }

    private void poll(Duration wait) {
        for (ConsumerRecord<String, AnalysisResult> r : consumer.poll(wait)) {
            bySeries.computeIfAbsent(r.value().getCurrent().getSeriesInstanceUid(),
                    k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(r.value());
        }
    }

    public List<AnalysisResult> resultsFor(String seriesUid) {
        return bySeries.getOrDefault(seriesUid, List.of());
    }

    public List<AnalysisResult> all() {
        return bySeries.values().stream().flatMap(List::stream).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
