package org.neurostream.processor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.neurostream.config.Settings;
import org.neurostream.processor.analysis.ConfiguredModels;
import org.neurostream.processor.pairing.PatientPairing;
import org.neurostream.processor.pairing.PriorRules;
import org.neurostream.processor.pairing.SeriesKind;
import org.neurostream.processor.pairing.SeriesKindRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's settings (see {@link Settings} for the file and environment overrides).
 *
 * <pre>
 * kafka.bootstrap.servers               (required)
 * blobstore.root                        (required) the blob store the events point into
 * processor.application-id              neurostream-processor   Kafka Streams application id (group and state names)
 * processor.state-dir                   work/processor-state    local RocksDB state (rebuilt from Kafka when lost)
 * processor.model-dir                   models/change-classifier   the change classifier: any folder holding a
 *                                       SavedModel and a complete model-card.json (models/README.md), e.g. a
 *                                       site's own Keras export
 * processor.brain-extraction-model-dir  (empty: off)   e.g. models/brain-extraction-mindgrab; on a 2-core CPU
 *                                       mindgrab takes 2-3 minutes per volume (256^3 at 1 mm), so it is
 *                                       off unless asked for; on a GPU host turn it on
 * processor.tissue-model-dir            (empty: off)   e.g. models/tissue-segmentation-model11: grey/white matter,
 *                                       CSF, BPF and PBVC of T1 pairs; ~12 s per volume on a 2-core CPU
 *                                       (models/tissue-segmentation-model11-phantom: the same network tuned
 *                                       on phantoms; better there, unproven on patients)
 * processor.lesion-model-dir            (empty: off)   e.g. models/new-lesion-segmenter: new lesions of FLAIR_3D
 *                                       pairs (count, volumes, SEG mask); setting it turns FLAIR_3D analysis on
 * processor.registration.levels-mm      4,2   registration pyramid, coarse to fine (mm)
 * processor.registration.min-ncc        0.3   a pair whose registration ends below this similarity is rejected
 * processor.stream-threads              1
 * processor.replication-factor          1   of the internal topics; 3 on a production cluster
 * processor.series-kind-rules           (built-in rules)   a JSON rules file, see series-kinds.json
 * processor.analysed-kinds              (every kind with a model: T1_3D, plus FLAIR_3D when a lesion model is
 *                                       set)   narrows analysis to these kinds; other pairable kinds are kept as
 *                                       priors. Naming a kind with no model configured is a start-up error.
 * processor.prior.min-interval-days     30
 * processor.prior.max-interval-days     1826
 * processor.prior-fetch.enabled         false   query/retrieve missing priors from the PACS
 * processor.prior-fetch.pacs-host       localhost
 * processor.prior-fetch.pacs-port       4242
 * processor.prior-fetch.pacs-ae         ORTHANC
 * processor.prior-fetch.calling-ae      NEUROSTREAM_QR
 * processor.prior-fetch.move-destination NEUROSTREAM   the AE title of our ingest SCP, as the PACS knows it
 * processor.prior-fetch.timeout-seconds 900   how long a follow-up waits for its retrieved prior
 * processor.prior-fetch.check-interval-ms 1000
 * processor.streams.*                   passed to Kafka Streams as they are (file only), e.g.
 *                                       processor.streams.security.protocol=SASL_SSL
 * </pre>
 */
public record ProcessorConfig(String bootstrapServers, Path blobStoreRoot, String applicationId, Path stateDir,
        Path modelDir, Optional<Path> brainExtractionModelDir, Optional<Path> tissueModelDir,
        Optional<Path> lesionModelDir, double[] registrationLevelsMm,
        double minRegistrationNcc, int streamThreads, int replicationFactor,
        Optional<Path> seriesKindRules, Set<SeriesKind.Kind> analysedKinds, PriorRules priorRules,
        Optional<PriorFetchConfig> priorFetch, Map<String, String> streamsOverrides) {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorConfig.class);

    /** Where and how to query/retrieve missing priors. */
    public record PriorFetchConfig(String pacsHost, int pacsPort, String pacsAe, String callingAe,
            String moveDestination, Duration timeout, Duration checkInterval) {
    }

    public static ProcessorConfig from(Settings s) {
        Optional<Path> brainModel = s.optionalPath("processor.brain-extraction-model-dir");
        Optional<Path> rules = s.optionalPath("processor.series-kind-rules");
        Optional<Path> lesionModel = s.optionalPath("processor.lesion-model-dir");
        Set<SeriesKind.Kind> kinds = analysedKinds(s.get("processor.analysed-kinds", ""),
                ConfiguredModels.kindsWithModels(lesionModel));
        Optional<PriorFetchConfig> fetch = s.bool("processor.prior-fetch.enabled", false)
                ? Optional.of(new PriorFetchConfig(
                        s.get("processor.prior-fetch.pacs-host", "localhost"),
                        s.integer("processor.prior-fetch.pacs-port", 4242),
                        s.get("processor.prior-fetch.pacs-ae", "ORTHANC"),
                        s.get("processor.prior-fetch.calling-ae", "NEUROSTREAM_QR"),
                        s.get("processor.prior-fetch.move-destination", "NEUROSTREAM"),
                        Duration.ofSeconds(s.integer("processor.prior-fetch.timeout-seconds", 900)),
                        Duration.ofMillis(s.integer("processor.prior-fetch.check-interval-ms", 1000))))
                : Optional.empty();
        return new ProcessorConfig(
                s.required("kafka.bootstrap.servers"),
                Path.of(s.required("blobstore.root")),
                s.get("processor.application-id", "neurostream-processor"),
                s.path("processor.state-dir", "work/processor-state"),
                s.path("processor.model-dir", "models/change-classifier"),
                brainModel,
                s.optionalPath("processor.tissue-model-dir"),
                lesionModel,
                Arrays.stream(s.get("processor.registration.levels-mm", "4,2").split(","))
                        .mapToDouble(v -> Double.parseDouble(v.trim())).toArray(),
                s.decimal("processor.registration.min-ncc", 0.3),
                s.integer("processor.stream-threads", 1),
                s.integer("processor.replication-factor", 1),
                rules,
                kinds,
                new PriorRules(s.integer("processor.prior.min-interval-days", PriorRules.DEFAULTS.minIntervalDays()),
                        s.integer("processor.prior.max-interval-days", PriorRules.DEFAULTS.maxIntervalDays())),
                fetch,
                s.withPrefix("processor.streams."));
    }

    /**
     * Loads the configured models from the registry (models/README.md): refuses, naming the setting and the field
     * or file, a folder whose card is incomplete or whose SavedModel files do not match the card's SHA-256s.
     */
    public ConfiguredModels loadModels() throws IOException {
        return ConfiguredModels.load(modelDir, tissueModelDir, lesionModelDir, brainExtractionModelDir);
    }

    /** The pairing rules this configuration asks for. */
    public PatientPairing pairing() {
        SeriesKindRules rules = seriesKindRules.map(SeriesKindRules::load).orElse(SeriesKindRules.defaults());
        return new PatientPairing(rules, priorRules, analysedKinds, priorFetch.map(PriorFetchConfig::timeout));
    }

    public Duration fetchCheckInterval() {
        return priorFetch.map(PriorFetchConfig::checkInterval).orElse(Duration.ofSeconds(5));
    }

    /**
     * The kinds to analyse: by default every kind a configured model serves (so configuring a lesion model is all it
     * takes to analyse FLAIR pairs); an explicit list may leave a kind out but may not name one without a model.
     */
    static Set<SeriesKind.Kind> analysedKinds(String setting, Set<SeriesKind.Kind> withModels) {
        Set<SeriesKind.Kind> kinds = Arrays.stream(setting.split(","))
                .map(String::trim).filter(k -> !k.isEmpty()).map(ProcessorConfig::kind)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(SeriesKind.Kind.class)));
        if (kinds.isEmpty()) {
            return EnumSet.copyOf(withModels);
        }
        for (SeriesKind.Kind kind : kinds) {
            if (!withModels.contains(kind)) {
                String needs = kind == SeriesKind.Kind.FLAIR_3D ? "set processor.lesion-model-dir (e.g. "
                        + "models/new-lesion-segmenter) or leave FLAIR_3D out"
                        : "no model analyses " + kind + " pairs; leave it out";
                throw new IllegalArgumentException("processor.analysed-kinds names " + kind + " but no model for it "
                        + "is configured: " + needs);
            }
        }
        Set<SeriesKind.Kind> left = EnumSet.copyOf(withModels);
        left.removeAll(kinds);
        if (!left.isEmpty()) {
            LOG.warn("processor.analysed-kinds ({}) leaves out {}, which a configured model serves: those pairs are "
                    + "not analysed (remove processor.analysed-kinds to analyse every kind with a model)", kinds, left);
        }
        return kinds;
    }

    private static SeriesKind.Kind kind(String name) {
        try {
            SeriesKind.Kind kind = SeriesKind.Kind.valueOf(name);
            if (!kind.isPairable()) {
                throw new IllegalArgumentException();
            }
            return kind;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("processor.analysed-kinds: '" + name + "' is not one of T1_3D, "
                    + "FLAIR_3D, FLAIR_2D");
        }
    }
}
