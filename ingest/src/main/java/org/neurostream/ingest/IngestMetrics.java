package org.neurostream.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** Ingest counters ({@code neurostream_} prefix once rendered for Prometheus). Tags never carry patient data. */
public final class IngestMetrics {
    static final String STORED = "neurostream.ingest.instances.stored";
    static final String REJECTED = "neurostream.ingest.instances.rejected";
    static final String SERIES_EMITTED = "neurostream.ingest.series.emitted";
    static final String PUBLISH_FAILURES = "neurostream.ingest.publish.failures";
    /** Whole requests refused before any instance was read: unknown AE, bad token, oversized body… */
    static final String REFUSED = "neurostream.ingest.requests.refused";
    static final String IMPORT_SKIPPED = "neurostream.ingest.import.skipped";
    /** The same meter the processor and the sink count their dead letters in, here with stage=ingest. */
    static final String DEAD_LETTERS = "neurostream.dead.letters";
    static final String BYTES_RECEIVED = "neurostream.ingest.received";
    /** From a series' first instance to the series being complete (so it includes the quiet period). */
    static final String COMPLETION_DELAY = "neurostream.ingest.series.completion.delay";

    private final MeterRegistry registry;
    private final Counter stored;
    private final Counter seriesEmitted;
    private final Counter publishFailures;
    private final Counter bytesReceived;
    private final Timer completionDelay;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.stored = registry.counter(STORED);
        this.seriesEmitted = registry.counter(SERIES_EMITTED);
        this.publishFailures = registry.counter(PUBLISH_FAILURES);
        this.bytesReceived = Counter.builder(BYTES_RECEIVED).baseUnit("bytes").register(registry);
        this.completionDelay = Timer.builder(COMPLETION_DELAY).publishPercentileHistogram().register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void instanceStored(long bytes) {
        stored.increment();
        bytesReceived.increment(bytes);
    }

    void instanceRejected(String reason) {
        registry.counter(REJECTED, "reason", reason).increment();
    }

    void deadLettered(String reason) {
        registry.counter(DEAD_LETTERS, "stage", "ingest", "reason", reason).increment();
    }

    public long deadLetteredCount(String reason) {
        Counter counter = registry.find(DEAD_LETTERS).tag("stage", "ingest").tag("reason", reason).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    /** @param door c-store, stow-rs, import, orthanc-changes; @param reason a short fixed code */
    void requestRefused(String door, String reason) {
        registry.counter(REFUSED, "door", door, "reason", reason).increment();
    }

    public long refusedCount(String door, String reason) {
        Counter counter = registry.find(REFUSED).tag("door", door).tag("reason", reason).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    /** Files an import left alone: {@code not-dicom}, {@code already-imported}. */
    void importSkipped(String reason) {
        registry.counter(IMPORT_SKIPPED, "reason", reason).increment();
    }

    /** @param completionDelayMillis from the series' first instance to its completion */
    void seriesEmitted(long completionDelayMillis) {
        seriesEmitted.increment();
        completionDelay.record(Math.max(0, completionDelayMillis), TimeUnit.MILLISECONDS);
    }

    void publishFailed() {
        publishFailures.increment();
    }

    public long bytesReceived() {
        return (long) bytesReceived.count();
    }

    public long storedCount() {
        return (long) stored.count();
    }

    /** Rejections over all reasons. */
    public long rejectedCount() {
        return (long) registry.find(REJECTED).counters().stream().mapToDouble(Counter::count).sum();
    }

    public long rejectedCount(String reason) {
        Counter counter = registry.find(REJECTED).tag("reason", reason).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    public long seriesEmittedCount() {
        return (long) seriesEmitted.count();
    }

    public long publishFailureCount() {
        return (long) publishFailures.count();
    }
}
