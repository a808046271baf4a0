package org.neurostream.app;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.neurostream.broker.EmbeddedKafkaBroker;
import org.neurostream.config.Settings;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.ingest.IngestService;
import org.neurostream.observability.Observability;
import org.neurostream.observability.OpsServer;
import org.neurostream.pacs.LocalOrthanc;
import org.neurostream.processor.ProcessorConfig;
import org.neurostream.processor.ProcessorService;
import org.neurostream.schemas.kafka.Topics;
import org.neurostream.sink.DeliveryOutcome;
import org.neurostream.sink.SinkConfig;
import org.neurostream.sink.SinkService;
import org.neurostream.status.StatusService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every part of NeuroStream in one JVM, as the demo and the end-to-end test run it: an embedded KRaft broker, a
 * local Orthanc as the PACS, and the ingest, processor and sink services configured exactly as they would be
 * from a properties file in production (only the addresses differ).
 */
public final class AllInOne implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AllInOne.class);
    static final String INGEST_AET = "NEUROSTREAM";
    static final int PARTITIONS = 3;

    /**
     * @param workDir      broker data, Orthanc storage, blob store and processor state (all created here)
     * @param srOutputDir  where the sink also writes every SR
     * @param modelDir     the change classifier's SavedModel directory
     * @param quietPeriod  how long a series must be silent before it counts as complete
     * @param brainExtractionModelDir mindgrab's directory to run brain extraction in preparation, or empty (on a
     *                     2-core CPU it adds 2-3 minutes per volume)
     * @param tissueModelDir the tissue segmenter's directory (volumes, PBVC of T1 pairs), or empty (on a 2-core CPU
     *                     it adds ~12 s per volume)
     * @param lesionModelDir the new-lesion segmenter's directory, or empty; when set, FLAIR_3D pairs are analysed
     *                     too (new lesions, their SEG mask and key image)
     */
    public record Options(Path workDir, Path srOutputDir, Path modelDir, Duration quietPeriod,
            Optional<Path> brainExtractionModelDir, Optional<Path> tissueModelDir, Optional<Path> lesionModelDir) {
        public Options(Path workDir, Path srOutputDir, Path modelDir, Duration quietPeriod) {
            this(workDir, srOutputDir, modelDir, quietPeriod, Optional.empty(), Optional.empty(), Optional.empty());
        }

        public Options(Path workDir, Path srOutputDir, Path modelDir, Duration quietPeriod,
                Optional<Path> brainExtractionModelDir, Optional<Path> tissueModelDir) {
            this(workDir, srOutputDir, modelDir, quietPeriod, brainExtractionModelDir, tissueModelDir,
                    Optional.empty());
        }
    }

    private EmbeddedKafkaBroker broker;
    private LocalOrthanc orthanc;
    private IngestService ingest;
    private ProcessorService processor;
    private SinkService sink;
    /** One ops server per service (as each pod has its own in Kubernetes); the sink's also serves /status. */
    private final Map<String, OpsServer> ops = new LinkedHashMap<>();
    private StatusService status;

    private AllInOne() {
    }

    public static AllInOne start(Options options, Consumer<DeliveryOutcome> deliveries) throws Exception {
        AllInOne all = new AllInOne();
        try {
            all.startParts(options, deliveries);
            return all;
        } catch (Exception | Error e) {
            all.close();
            throw e;
        }
    }

    private void startParts(Options options, Consumer<DeliveryOutcome> deliveries) throws Exception {
        Path work = options.workDir().toAbsolutePath();
        Files.createDirectories(work);
        broker = new EmbeddedKafkaBroker(work.resolve("kafka"), false).start();
        broker.createTopics(Topics.all(), PARTITIONS);
        orthanc = LocalOrthanc.builder(work.resolve("orthanc")).aet("ORTHANC").start();
        LOG.info("PACS: Orthanc {} (DICOM port {}, REST {})", orthanc.aet(), orthanc.dicomPort(), orthanc.restUrl());

        Properties file = new Properties();
        file.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
        file.setProperty("blobstore.root", work.resolve("blobs").toString());
        // Demo only: a production site keeps its salt in a Secret.
        file.setProperty("patient.key.salt", "neurostream-demo-salt");
        file.setProperty("ingest.ae.title", INGEST_AET);
        file.setProperty("ingest.port", "0");
        file.setProperty("ingest.quiet.period.ms", String.valueOf(options.quietPeriod().toMillis()));
        file.setProperty("processor.state-dir", work.resolve("processor-state").toString());
        file.setProperty("processor.model-dir", options.modelDir().toAbsolutePath().toString());
        options.brainExtractionModelDir().ifPresent(d -> file.setProperty("processor.brain-extraction-model-dir",
                d.toAbsolutePath().toString()));
        options.tissueModelDir().ifPresent(d -> file.setProperty("processor.tissue-model-dir",
                d.toAbsolutePath().toString()));
        // A lesion model alone turns FLAIR_3D analysis on (processor.analysed-kinds follows the models).
        options.lesionModelDir().ifPresent(d -> file.setProperty("processor.lesion-model-dir",
                d.toAbsolutePath().toString()));
        // The DICOMweb door too, so a PACS's STOW-RS client reaches the same ingest.
        file.setProperty("ingest.stow.port", "0");
        file.setProperty("sink.folder.dir", options.srOutputDir().toAbsolutePath().toString());
        file.setProperty("sink.pacs.host", "127.0.0.1");
        file.setProperty("sink.pacs.port", String.valueOf(orthanc.dicomPort()));
        file.setProperty("sink.pacs.called-aet", orthanc.aet());
        file.setProperty("sink.pacs.rest-url", orthanc.restUrl());
        file.setProperty("sink.retry.initial-backoff-ms", "200");
        file.setProperty(OpsServer.PORT_KEY, "0");
        Settings settings = new Settings(file, Map.of());

        // Each part is recorded before it starts, so close() reaches whatever a failed start left behind.
        ingest = new IngestService(IngestConfig.from(settings), Observability.registry(), Clock.systemUTC(), null);
        ingest.start();
        ops.put("ingest", ServiceCommand.startOps("ingest", settings, () -> true));
        ProcessorConfig processorConfig = ProcessorConfig.from(settings);
        processor = ProcessorService.create(processorConfig);
        processor.start(Duration.ofSeconds(60));
        ops.put("processor", ServiceCommand.startOps("processor", settings,
                () -> processor.state() == KafkaStreams.State.RUNNING));
        sink = SinkService.create(SinkConfig.from(settings), deliveries).start();
        ops.put("sink", ServiceCommand.startOps("sink", settings, () -> !sink.terminated().isDone()));
        status = ServiceCommand.startStatusPage(settings, ops.get("sink"));
        // In this one JVM every ops server serves the same (process-wide) metrics.
        LOG.info("status page: {}; metrics: {}", statusPageUrl(), ops.values().stream()
                .map(o -> o.url().resolve("metrics").toString()).toList());
        LOG.info("all services running: ingest {}@127.0.0.1:{}, Kafka {}", INGEST_AET, ingest.port(),
                broker.bootstrapServers());
    }

    public int ingestPort() {
        return ingest.port();
    }

    public int stowPort() {
        return ingest.stowPort();
    }

    public String ingestAet() {
        return INGEST_AET;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public LocalOrthanc orthanc() {
        return orthanc;
    }

    /** Each service's ops endpoint (/metrics, /healthz, /readyz) by service name. */
    public Map<String, URI> opsUrls() {
        Map<String, URI> urls = new LinkedHashMap<>();
        ops.forEach((service, server) -> urls.put(service, server.url()));
        return urls;
    }

    public URI statusPageUrl() {
        return ops.get("sink").url().resolve(StatusService.PATH.substring(1));
    }

    @Override
    public void close() {
        // Upstream first, so nothing is produced into a stopped consumer; the broker last.
        closeQuietly(ingest);
        closeQuietly(processor);
        closeQuietly(sink);
        closeQuietly(status);
        ops.values().forEach(AllInOne::closeQuietly);
        closeQuietly(orthanc);
        closeQuietly(broker);
    }

    private static void closeQuietly(AutoCloseable part) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception e) {
            LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.getMessage());
        }
    }
}
