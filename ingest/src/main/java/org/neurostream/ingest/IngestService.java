package org.neurostream.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import org.neurostream.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest deployable: its doors (DICOM C-STORE SCP; DICOMweb STOW-RS and the Orthanc change feed when
 * configured) all feeding one {@link IngestPipeline} → {@code SeriesReceived} on Kafka. {@link #start()} opens the
 * doors; {@link #close()} closes them first, then announces the series still open (their instances were
 * acknowledged to the sender, so they must not vanish) and flushes the producer.
 */
public final class IngestService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final IngestConfig config;
    private final IngestPipeline pipeline;
    private DicomReceiver receiver;
    private StowRsServer stow;
    private OrthancChangeFeed changeFeed;
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
        this.pipeline = new IngestPipeline(config, registry, clock, publisher);
    }

    public synchronized IngestService start() throws IOException {
        pipeline.start();
        receiver = new DicomReceiver(config.aeTitle(), config.blobStoreDir().resolve("incoming"),
                pipeline.ingestor(), config.callingAes());
        receiver.start(config.port());
        if (config.stow().enabled()) {
            stow = new StowRsServer(config.stow(), config.blobStoreDir().resolve("incoming-stow"),
                    pipeline.ingestor()).start();
        }
        if (config.changeFeed().enabled()) {
            changeFeed = new OrthancChangeFeed(config.changeFeed(), config.blobStoreDir().resolve("incoming-changes"),
                    pipeline).start();
        }
        log.info("ingest started: {}", config);
        return this;
    }

    /** The bound DICOM port (differs from the config when it asked for 0). */
    public int port() {
        return receiver.port();
    }

    /** The bound STOW-RS port; -1 when that door is off. */
    public int stowPort() {
        return stow == null ? -1 : stow.port();
    }

    /** The change feed, or null when that door is off. */
    public OrthancChangeFeed changeFeed() {
        return changeFeed;
    }

    public IngestPipeline pipeline() {
        return pipeline;
    }

    public BlobStore blobStore() {
        return pipeline.blobStore();
    }

    public IngestMetrics metrics() {
        return pipeline.metrics();
    }

    public IngestConfig config() {
        return config;
    }

    /** Series that have instances but have not been announced yet. */
    public int openSeriesCount() {
        return pipeline.openSeriesCount();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (changeFeed != null) {
            changeFeed.close();
        }
        if (stow != null) {
            stow.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        pipeline.close();
        log.info("ingest stopped");
    }
}
