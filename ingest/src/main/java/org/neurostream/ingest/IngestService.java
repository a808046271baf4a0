package org.neurostream.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.schemas.SeriesReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest deployable: DICOM SCP → blob store → series completion → {@code SeriesReceived} on Kafka.
 * {@link #start()} binds the port; {@link #close()} stops accepting, announces the series still open (their
 * instances were acknowledged to the sender, so they must not vanish) and flushes the producer.
 */
public final class IngestService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final IngestConfig config;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final SeriesPublisher publisher;
    private final SeriesCompletionTracker tracker;
    private BlobStore blobStore;
    private DicomReceiver receiver;
    private ScheduledExecutorService completionTimer;
    private boolean closed;

    /** Production wiring: Kafka publisher from the config, a private meter registry, the system clock. */
    public IngestService(IngestConfig config) {
        this(config, new SimpleMeterRegistry(), Clock.systemUTC(), null);
    }

    /**
     * @param publisher where completed series go; null for Kafka from the config. The service closes it.
     */
    public IngestService(IngestConfig config, MeterRegistry registry, Clock clock, SeriesPublisher publisher) {
        this.config = config;
        this.clock = clock;
        this.metrics = new IngestMetrics(registry);
        this.publisher = publisher != null ? publisher
                : new KafkaSeriesPublisher(config.kafkaBootstrapServers(), config.kafkaClientId(), metrics);
        this.tracker = new SeriesCompletionTracker(config.quietPeriod(), clock);
    }

    public synchronized IngestService start() throws IOException {
        blobStore = new FileBlobStore(config.blobStoreDir());
        InstanceIngestor ingestor = new InstanceIngestor(
                new InstanceValidator(new PatientKeyDeriver(config.patientKeySalt())),
                blobStore, tracker, metrics, clock);
        completionTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "series-completion");
            t.setDaemon(true);
            return t;
        });
        long tick = checkInterval(config.quietPeriod()).toMillis();
        completionTimer.scheduleWithFixedDelay(this::emitCompletedSeries, tick, tick, TimeUnit.MILLISECONDS);
        receiver = new DicomReceiver(config.aeTitle(), spoolDir(), ingestor);
        receiver.start(config.port());
        log.info("ingest started: {}", config);
        return this;
    }

    /** The bound DICOM port (differs from the config when it asked for 0). */
    public int port() {
        return receiver.port();
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

    /** Series that have instances but have not been announced yet. */
    public int openSeriesCount() {
        return tracker.openSeriesCount();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (receiver != null) {
            receiver.close();
        }
        if (completionTimer != null) {
            completionTimer.shutdown();
            try {
                completionTimer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<SeriesReceived> open = tracker.takeAll();
        if (!open.isEmpty()) {
            log.info("shutdown: announcing {} series before their quiet period ended", open.size());
        }
        open.forEach(this::publish);
        publisher.close();
        log.info("ingest stopped");
    }

    private void emitCompletedSeries() {
        try {
            tracker.takeCompleted().forEach(this::publish);
        } catch (RuntimeException e) {
            log.error("series completion check failed: {}", e.toString(), e); // keep the timer alive
        }
    }

    private void publish(SeriesReceived event) {
        metrics.seriesEmitted();
        log.info("series complete: series={} study={} patientKey={} instances={} eventId={} source={}",
                event.getSeriesInstanceUid(), event.getStudyInstanceUid(), event.getPatientKey(),
                event.getInstances().size(), event.getEventId(), event.getSource());
        // Only an acknowledged event suppresses a later unchanged re-send (see SeriesCompletionTracker).
        publisher.publish(event).thenRun(() -> tracker.published(event));
    }

    private Path spoolDir() {
        return config.blobStoreDir().resolve("incoming");
    }

    /** A few checks per quiet period, within [50 ms, 1 s]. */
    static Duration checkInterval(Duration quietPeriod) {
        long millis = Math.max(50, Math.min(1_000, quietPeriod.toMillis() / 4));
        return Duration.ofMillis(millis);
    }
}
