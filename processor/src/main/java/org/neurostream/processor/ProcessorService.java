package org.neurostream.processor;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.processor.analysis.ConfiguredModels;
import org.neurostream.processor.analysis.PairAnalyzer;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.processor.priorfetch.PacsPriorFetcher;
import org.neurostream.processor.priorfetch.PriorFetcher;
import org.neurostream.pacs.PacsQueryRetrieve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the processor topology as a Kafka Streams application. */
public final class ProcessorService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorService.class);

    private final KafkaStreams streams;
    private final CompletableFuture<KafkaStreams.State> stopped = new CompletableFuture<>();
    private final List<AutoCloseable> owned = new ArrayList<>();

    /**
     * The processor as configured: loads the models and connects the PACS for prior fetch. Everything it opens is
     * closed by {@link #close()}.
     */
    public static ProcessorService create(ProcessorConfig config) throws Exception {
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            // Every configured model folder is checked against its card (required fields, SHA-256 of every
            // SavedModel file) before anything starts; a site's own model plugs in through processor.model-dir.
            ConfiguredModels models = config.loadModels();
            parts.add(models);
            FileBlobStore blobs = new FileBlobStore(config.blobStoreRoot());
            PriorFetcher fetcher = PriorFetcher.NONE;
            if (config.priorFetch().isPresent()) {
                ProcessorConfig.PriorFetchConfig f = config.priorFetch().get();
                fetcher = new PacsPriorFetcher(PacsQueryRetrieve.builder(f.callingAe(), f.pacsHost(), f.pacsPort(),
                        f.pacsAe()).build(), f.moveDestination(), blobs);
                parts.add(fetcher);
                LOG.info("prior fetch on: C-FIND/C-MOVE against {}@{}:{}, retrieved studies sent to {}, wait up to {}",
                        f.pacsAe(), f.pacsHost(), f.pacsPort(), f.moveDestination(), f.timeout());
            }
            RigidRegistration registration = new RigidRegistration(
                    RigidRegistration.Options.defaults().withLevels(config.registrationLevelsMm()));
            PairAnalyzer analyzer = new PairAnalyzer(blobs,
                    new PairPreparation(models.brainExtractor(), registration, config.minRegistrationNcc()),
                    models.pairModels());
            ProcessorService service = new ProcessorService(config, analyzer, fetcher);
            service.owned.addAll(parts);
            return service;
        } catch (Exception | Error e) {
            for (AutoCloseable part : parts) {
                part.close();
            }
            throw e;
        }
    }

    public ProcessorService(ProcessorConfig config, PairAnalyzer analyzer, PriorFetcher fetcher) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        // A retried or restarted task must neither lose nor duplicate a pairing or a result.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
        // An unreadable event is logged and skipped rather than stopping every patient's stream.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        // A processor that starts after ingest has published must still see those series.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Inference on a pair takes seconds to minutes on a CPU: one record per poll, so the thread commits (and
        // closes its transaction) after every record instead of holding one open across several analyses.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 1);
        // ...and commit after every loop that processed something: a record that only updates a history would
        // otherwise leave its transaction open into the next record's analysis, past the transaction timeout.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 0);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), 600_000);
        // Site settings last: security, timeouts and whatever else the cluster needs.
        props.putAll(config.streamsOverrides());
        this.streams = new KafkaStreams(ProcessorTopology.build(config.pairing(), analyzer, fetcher,
                config.fetchCheckInterval()), props);
        // Kafka Streams' own metrics (lag, commit and process rates) next to ours on the global registry.
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(Metrics.globalRegistry);
        owned.add(streamsMetrics);
        // Replacing the thread would re-run the same failing record forever; stop instead, visibly, and let the
        // owner (the process, then Kubernetes) restart. Analysis failures never get here: they become results.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; stopping the processor", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.complete(now);
            }
        });
    }

    /** Starts the application and waits until it is running; on failure nothing is left running. */
    public ProcessorService start(Duration timeout) throws InterruptedException {
        streams.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()
                    && streams.state() != KafkaStreams.State.CREATED) {
                KafkaStreams.State state = streams.state();
                close();
                throw new IllegalStateException("processor did not reach RUNNING (state " + state + ")");
            }
            Thread.sleep(100);
        }
        LOG.info("processor running");
        return this;
    }

    /** Completes when the application has stopped, by {@link #close()} or because a stream thread failed. */
    public CompletableFuture<KafkaStreams.State> stopped() {
        return stopped;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        for (AutoCloseable part : owned) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
