package org.neurostream.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.schemas.SeriesReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal path every door shares: validation → blob store → series completion → publisher. A door hands
 * objects to {@link #ingestor()}; completed series are published by a timer after their quiet period, or at once
 * through {@link #complete} when a door knows a series is whole and needs to know it reached Kafka before it
 * checkpoints (import journal, change-feed position).
 */
public final class IngestPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

    private final IngestConfig config;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final SeriesPublisher publisher;
    private final DeadLetterPublisher deadLetters;
    private final SeriesCompletionTracker tracker;
    /** The latest publish per series that is not acknowledged yet (or failed): what {@link #complete} waits on. */
    private final Map<String, CompletableFuture<Void>> unacknowledged = new ConcurrentHashMap<>();
    private final List<Consumer<SeriesReceived>> acknowledgementListeners = new CopyOnWriteArrayList<>();
    /** Registered events not yet handed to the publisher (guarded by this); {@code sendLock} keeps their order. */
    private final Deque<Pending> outbox = new ArrayDeque<>();
    private final Object sendLock = new Object();
    private BlobStore blobStore;
    private InstanceIngestor ingestor;
    private ScheduledExecutorService completionTimer;
    private boolean closed;

    /**
     * @param publisher where completed series go; null for Kafka from the config. The pipeline closes it.
     */
    public IngestPipeline(IngestConfig config, MeterRegistry registry, Clock clock, SeriesPublisher publisher) {
        this.config = config;
        this.clock = clock;
        this.metrics = new IngestMetrics(registry);
        this.publisher = publisher != null ? publisher
                : new KafkaSeriesPublisher(config.kafkaBootstrapServers(), config.kafkaClientId(),
                        config.kafkaClientSettings(), metrics);
        // Refusals go to Kafka's dead-letter topic wherever series go to Kafka; a given publisher (tests) has none.
        this.deadLetters = publisher != null ? DeadLetterPublisher.NONE
                : new KafkaDeadLetterPublisher(config.kafkaBootstrapServers(), config.kafkaClientId(),
                        config.kafkaClientSettings());
        this.tracker = new SeriesCompletionTracker(config.quietPeriod(), clock);
    }

    public synchronized IngestPipeline start() throws IOException {
        blobStore = new FileBlobStore(config.blobStoreDir());
        ingestor = new InstanceIngestor(new InstanceValidator(new PatientKeyDeriver(config.patientKeySalt())),
                blobStore, tracker, metrics, clock, deadLetters);
        completionTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "series-completion");
            t.setDaemon(true);
            return t;
        });
        long tick = checkInterval(config.quietPeriod()).toMillis();
        completionTimer.scheduleWithFixedDelay(this::emitCompletedSeries, tick, tick, TimeUnit.MILLISECONDS);
        return this;
    }

    public InstanceIngestor ingestor() {
        return ingestor;
    }

    public BlobStore blobStore() {
        return blobStore;
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    public IngestConfig config() {
        return config;
    }

    /** Called (on a publisher thread) for each event once it is acknowledged downstream, before {@link #complete}
     *  and {@link #completeAll} report it: an import journal checkpoints here. */
    public void onAcknowledged(Consumer<SeriesReceived> listener) {
        acknowledgementListeners.add(listener);
    }

    /** See {@link SeriesCompletionTracker#discardOpen()}. */
    public synchronized int discardOpenSeries() {
        return tracker.discardOpen();
    }

    public int openSeriesCount() {
        return tracker.openSeriesCount();
    }

    /**
     * Publishes these series now if they are still open, and completes once every one of them is acknowledged
     * downstream, whether published now or earlier by the quiet-period timer; fails if any publish failed. A
     * series with no stored instance counts as done (nothing to announce).
     */
    public CompletableFuture<Void> complete(Collection<String> seriesUids) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        List<Pending> now;
        synchronized (this) {
            now = register(tracker.takeSeries(seriesUids));
            for (String uid : seriesUids) {
                CompletableFuture<Void> pending = unacknowledged.get(uid);
                if (pending != null) {
                    waits.add(pending);
                }
            }
        }
        send(now);
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
    }

    /** Publishes every open series now (end of an import) and completes when all are acknowledged. */
    public CompletableFuture<Void> completeAll() {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        List<Pending> now;
        synchronized (this) {
            now = register(tracker.takeAll());
            waits.addAll(unacknowledged.values());
        }
        send(now);
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (completionTimer != null) {
            completionTimer.shutdown();
            try {
                completionTimer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending> open;
        synchronized (this) {
            open = register(tracker.takeAll());
        }
        if (!open.isEmpty()) {
            log.info("shutdown: announcing {} series before their quiet period ended", open.size());
        }
        send(open);
        publisher.close();
        deadLetters.close();
    }

    private void emitCompletedSeries() {
        try {
            List<Pending> due;
            synchronized (this) {
                due = register(tracker.takeCompleted());
            }
            send(due);
        } catch (RuntimeException e) {
            log.error("series completion check failed: {}", e.toString(), e); // keep the timer alive
        }
    }

    /** An event taken from the tracker, and what completes once it is acknowledged and its listeners have run. */
    private record Pending(SeriesReceived event, CompletableFuture<Void> acknowledged) {
    }

    /**
     * Called under the lock, so that {@link #complete} sees each series either still open or in
     * {@code unacknowledged}. The publisher itself is called outside it ({@link #send}): a Kafka producer may block
     * for up to a minute when the cluster is unreachable, and must not hold up the other doors meanwhile.
     */
    private List<Pending> register(List<SeriesReceived> events) {
        List<Pending> pending = new ArrayList<>();
        for (SeriesReceived event : events) {
            CompletableFuture<Void> acknowledged = new CompletableFuture<>();
            String series = event.getSeriesInstanceUid();
            unacknowledged.put(series, acknowledged);
            acknowledged.thenRun(() -> unacknowledged.remove(series, acknowledged));
            Pending queued = new Pending(event, acknowledged);
            pending.add(queued);
            outbox.add(queued);
        }
        return pending;
    }

    /**
     * Hands what {@link #register} queued to the publisher, in registration order whichever thread gets here first
     * (a reopened series' fuller event must not overtake its earlier one on Kafka).
     */
    private void send(List<Pending> registered) {
        if (registered.isEmpty()) {
            return;
        }
        synchronized (sendLock) {
            while (true) {
                Pending p;
                synchronized (this) {
                    p = outbox.poll();
                }
                if (p == null) {
                    return;
                }
                publish(p);
            }
        }
    }

    private void publish(Pending p) {
        SeriesReceived event = p.event();
        metrics.seriesEmitted(event.getCompletedAtMillis() - event.getFirstReceivedAtMillis());
        log.info("series complete: series={} study={} patientKey={} instances={} eventId={} source={}",
                event.getSeriesInstanceUid(), event.getStudyInstanceUid(), event.getPatientKey(),
                event.getInstances().size(), event.getEventId(), event.getSource());
        publisher.publish(event).whenComplete((ok, error) -> {
            if (error != null) {
                p.acknowledged().completeExceptionally(error);
                return;
            }
            // Only an acknowledged event suppresses a later unchanged re-send (see SeriesCompletionTracker).
            tracker.published(event);
            try {
                acknowledgementListeners.forEach(l -> l.accept(event));
                p.acknowledged().complete(null);
            } catch (RuntimeException e) {
                p.acknowledged().completeExceptionally(e);
            }
        });
    }

    /** A few checks per quiet period, within [50 ms, 1 s]. */
    static Duration checkInterval(Duration quietPeriod) {
        long millis = Math.max(50, Math.min(1_000, quietPeriod.toMillis() / 4));
        return Duration.ofMillis(millis);
    }
}
