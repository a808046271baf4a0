package org.neurostream.processor.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.config.Settings;
import org.neurostream.imaging.MrSeriesMetadata;
import org.neurostream.imaging.MrSeriesWriter;
import org.neurostream.imaging.SeriesAssembler;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.inference.ChangeClassifierPreprocessing;
import org.neurostream.inference.ModelCard;
import org.neurostream.inference.ModelFolder;
import org.neurostream.inference.Sha256;
import org.neurostream.inference.graph.SavedModelWriter;
import org.neurostream.inference.graph.SavedModelWriter.SignatureTensor;
import org.neurostream.inference.graph.TfGraphBuilder;
import org.neurostream.processor.ProcessorConfig;
import org.neurostream.processor.ProcessorTopology;
import org.neurostream.processor.pairing.SeriesFixtures;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.processor.priorfetch.PriorFetcher;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;

/**
 * Bring your own model: a site's change classifier, exported the way Keras exports one, plugs into the processor
 * by configuration alone. The test writes that SavedModel itself (signature "serving_default", keys named after
 * Keras Input layers, "output_0" from a "StatefulPartitionedCall" node, its own 40^3 x 5 mm grid and a sigmoid
 * output), writes its card, sets processor.model-dir to the folder and sends a real DICOM pair through the real
 * topology. The graph is P(decline) = sigmoid(A * mean|f - b| + C * (mean f - mean b) + B); the C term is not
 * symmetric, so swapped inputs would show. The expected probability is computed here in plain Java from the
 * preparation and the card's preprocessing, never from the model.
 */
class BringYourOwnModelTest {
    private static final int GRID = 40;
    private static final double SPACING_MM = 5;
    private static final float A = 12f;
    private static final float C = 40f;
    private static final float B = -1f;
    private static final String NAME = "site-decline-classifier";
    private static final String VERSION = "2025.11-site";

    @TempDir
    Path dir;

    /** The Keras-shaped SavedModel and its card, as a site would hand them over. */
    static Path writeSiteModel(Path folder) throws IOException {
        TfGraphBuilder g = new TfGraphBuilder();
        String prior = g.placeholder("serving_default_t1_prior", -1, GRID, GRID, GRID, 1);
        String current = g.placeholder("serving_default_t1_current", -1, GRID, GRID, GRID, 1);
        String difference = g.sub("difference", current, prior);
        String meanAbs = g.mean("mean_abs", g.abs("abs", difference), 1, 2, 3, 4);
        String meanDiff = g.mean("mean_diff", difference, 1, 2, 3, 4);
        String logit = g.addV2("logit", g.addV2("terms", g.mul("a_term", meanAbs, g.scalar("a", A)),
                g.mul("c_term", meanDiff, g.scalar("c", C))), g.scalar("b", B));
        g.sigmoid("StatefulPartitionedCall", g.reshape("column", logit, -1, 1));
        Path pb = SavedModelWriter.write(folder, g.build(),
                List.of(new SignatureTensor("t1_prior", prior, -1, GRID, GRID, GRID, 1),
                        new SignatureTensor("t1_current", current, -1, GRID, GRID, GRID, 1)),
                List.of(new SignatureTensor("output_0", "StatefulPartitionedCall", -1, 1)));
        List<Long> shape = List.of(-1L, (long) GRID, (long) GRID, (long) GRID, 1L);
        new ModelCard(NAME, VERSION, "A site's own change classifier (test)", "Keras functional model, exported "
                + "with model.export()",
                List.of(new ModelCard.TensorSpec("t1_prior", "float32", shape, "NDHWC", "baseline (prior) visit"),
                        new ModelCard.TensorSpec("t1_current", "float32", shape, "NDHWC", "follow-up visit")),
                List.of(new ModelCard.TensorSpec("output_0", "float32", List.of(-1L, 1L), "NC", "P(decline)")),
                new ModelCard.Preprocessing(List.of(GRID, GRID, GRID), List.of(SPACING_MM, SPACING_MM, SPACING_MM),
                        "Resampler.resampleCentred", 1, 99, "IntensityNormalizer.percentileScale 1..99"),
                ModelCard.Training.ofData("the site's own pairs (test)"), null, Sha256.of(pb), null, null)
                .withMetrics(List.of(new ModelCard.Metric("AUC", 0.91, "the site's hold-out (test)")))
                .write(folder);
        return folder;
    }

    @Test
    void aSiteModelNamedOnlyInTheSettingsAnalysesARealPairAndIsNamedInTheResult() throws Exception {
        Path model = writeSiteModel(dir.resolve("site-model"));
        ProcessorConfig config = ProcessorConfig.from(settings(model));
        FileBlobStore blobs = new FileBlobStore(config.blobStoreRoot());
        Volume baseline = head(0, 0f);
        Volume followUp = head(2.0, 0.15f);
        SeriesReceived prior = store(blobs, baseline, "2.25.4101", LocalDate.of(2024, 1, 5));
        SeriesReceived current = store(blobs, followUp, "2.25.4102", LocalDate.of(2025, 1, 7));

        List<AnalysisResult> results;
        try (ConfiguredModels models = config.loadModels()) {
            // The same parts ProcessorService wires from the same configuration.
            PairAnalyzer analyzer = new PairAnalyzer(blobs, new PairPreparation(models.brainExtractor(),
                    registration(config), config.minRegistrationNcc()), models.pairModels());
            Properties streams = new Properties();
            streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "byo-test");
            streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
            streams.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
            try (TopologyTestDriver driver = new TopologyTestDriver(ProcessorTopology.build(config.pairing(),
                    analyzer, PriorFetcher.NONE, config.fetchCheckInterval()), streams)) {
                TestInputTopic<String, SeriesReceived> series = driver.createInputTopic(Topics.SERIES_RECEIVED,
                        new StringSerializer(), AvroSerde.of(SeriesReceived.class).serializer());
                TestOutputTopic<String, AnalysisResult> out = driver.createOutputTopic(Topics.ANALYSIS_RESULTS,
                        new StringDeserializer(), AvroSerde.of(AnalysisResult.class).deserializer());
                series.pipeInput("pk", prior);
                series.pipeInput("pk", current);
                results = out.readValuesToList();
            }
        }

        assertThat(results).hasSize(2);
        assertThat(results.get(0).getStatus()).isEqualTo(AnalysisStatus.NO_PRIOR);
        AnalysisResult analysed = results.get(1);
        assertThat(analysed.getStatus()).as(analysed.getReason()).isEqualTo(AnalysisStatus.ANALYSED);
        assertThat(analysed.getModels()).singleElement().satisfies(m -> {
            assertThat(m.getName()).isEqualTo(NAME);
            assertThat(m.getVersion()).isEqualTo(VERSION);
            assertThat(m.getSha256()).isEqualTo(Sha256.of(model.resolve("saved_model.pb")));
        });

        double expected = expectedProbability(config, blobs, prior, current);
        System.out.printf("site model: P(decline) %.6f from the processor, %.6f computed here%n",
                analysed.getPDecline(), expected);
        // Not saturated, so a wrong term or a swapped input would move it.
        assertThat(expected).isBetween(0.05, 0.95);
        // Float32 means over 64,000 voxels against double: ~1e-6.
        assertThat(analysed.getPDecline()).isCloseTo(expected, offset(1e-4));
    }

    @Test
    void aSiteModelWithAnIncompleteCardIsRefusedAtStartUpNamingTheFields() throws Exception {
        Path model = writeSiteModel(dir.resolve("site-model"));
        ModelCard c = ModelCard.read(model);
        new ModelCard(c.name(), c.version(), null, null, c.inputs(), c.outputs(), c.preprocessing(), null, null,
                c.savedModelSha256(), null, null).write(model);
        ProcessorConfig config = ProcessorConfig.from(settings(model));
        assertThatThrownBy(config::loadModels).isInstanceOf(IOException.class)
                .hasMessageContaining("processor.model-dir = " + model)
                .hasMessageContaining("missing training.data, metrics (or evaluation)");
    }

    @Test
    void aSiteModelWhoseFilesDoNotMatchItsCardIsRefusedAtStartUpNamingTheFile() throws Exception {
        Path model = writeSiteModel(dir.resolve("site-model"));
        Files.writeString(model.resolve("variables").resolve("variables.data-00000-of-00001"), "new weights");
        assertThatThrownBy(() -> ProcessorConfig.from(settings(model)).loadModels()).isInstanceOf(IOException.class)
                .hasMessageContaining("processor.model-dir")
                .hasMessageContaining("variables/variables.data-00000-of-00001");

        Files.delete(model.resolve("variables").resolve("variables.data-00000-of-00001"));
        ModelCard c = ModelCard.read(model);
        new ModelCard(c.name(), c.version(), null, null, c.inputs(), c.outputs(), c.preprocessing(), c.training(),
                null, c.metrics(), "0".repeat(64), null, null, null, null, null, null).write(model);
        assertThatThrownBy(() -> ProcessorConfig.from(settings(model)).loadModels()).isInstanceOf(IOException.class)
                .hasMessageContaining("saved_model.pb in " + model).hasMessageContaining("0".repeat(64));
    }

    /** What the processor's settings file would say; nothing else tells it about the model. */
    private Settings settings(Path model) {
        Properties props = new Properties();
        props.setProperty("kafka.bootstrap.servers", "unused:9092");
        props.setProperty("blobstore.root", dir.resolve("blobs").toString());
        props.setProperty("processor.state-dir", dir.resolve("state").toString());
        props.setProperty("processor.model-dir", model.toString());
        return new Settings(props, Map.of());
    }

    private static RigidRegistration registration(ProcessorConfig config) {
        return new RigidRegistration(RigidRegistration.Options.defaults().withLevels(config.registrationLevelsMm()));
    }

    /**
     * The same preparation from the same DICOM files, the card's preprocessing, then the graph's formula in
     * double precision.
     */
    private static double expectedProbability(ProcessorConfig config, FileBlobStore blobs, SeriesReceived prior,
            SeriesReceived current) throws Exception {
        PairPreparation.PreparedPair pair = new PairPreparation(java.util.Optional.empty(), registration(config),
                config.minRegistrationNcc()).prepare(assemble(blobs, prior), assemble(blobs, current),
                        new HashMap<>());
        ChangeClassifierPreprocessing prep = new ChangeClassifierPreprocessing(
                ModelFolder.open(config.modelDir()).card().preprocessing());
        Volume[] resampled = prep.resampleRegistered(pair.baseline(), pair.followUp(), pair.baselineToFollowUp());
        float[] b = prep.normalise(resampled[0]).data();
        float[] f = prep.normalise(resampled[1]).data();
        double sumAbs = 0;
        double sumDiff = 0;
        for (int n = 0; n < b.length; n++) {
            sumAbs += Math.abs(f[n] - b[n]);
            sumDiff += f[n] - b[n];
        }
        double logit = A * sumAbs / b.length + C * sumDiff / b.length + B;
        return 1 / (1 + Math.exp(-logit));
    }

    private static Volume assemble(FileBlobStore blobs, SeriesReceived series) throws Exception {
        List<Path> files = new ArrayList<>();
        for (InstanceRef instance : series.getInstances()) {
            files.add(blobs.localPath(instance.getBlobRef()));
        }
        return SeriesAssembler.assemble(files);
    }

    /**
     * A head-like volume at 3 mm: a skull shell, a brain with a smooth texture and ventricles that grow by
     * {@code atrophy} (a fraction of their radius), shifted by {@code shiftMm} along x.
     */
    private static Volume head(double shiftMm, float atrophy) {
        int nx = 64;
        int ny = 72;
        int nz = 56;
        Volume v = Volume.zeros(nx, ny, nz, new double[] {3, 3, 3}, new double[] {-96, -108, -84});
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double x = -96 + 3 * i - shiftMm;
                    double y = -108 + 3 * j;
                    double z = -84 + 3 * k;
                    double r = Math.sqrt(x * x / (75 * 75) + y * y / (90 * 90) + z * z / (65 * 65));
                    double ventricle = Math.sqrt(x * x / (12 * 12) + y * y / (30 * 30) + z * z / (14 * 14));
                    float value;
                    if (r > 1.0) {
                        value = 0;
                    } else if (r > 0.9) {
                        value = 900; // scalp and skull
                    } else if (ventricle < 1 + atrophy) {
                        value = 150; // CSF
                    } else {
                        value = (float) (600 + 120 * Math.sin(x / 9.0) * Math.cos(y / 11.0) + 60 * Math.sin(z / 7.0));
                    }
                    v.set(i, j, k, value);
                }
            }
        }
        return v;
    }

    /** Writes the volume as a DICOM series into the blob store and returns the event ingest would publish. */
    private SeriesReceived store(FileBlobStore blobs, Volume volume, String studyUid, LocalDate date)
            throws IOException {
        String seriesUid = studyUid + ".1";
        List<Path> files = MrSeriesWriter.write(volume, new MrSeriesMetadata("TEST^BYO", "BYO-1", "TEST", null, "O",
                studyUid, date, LocalTime.NOON, "", "T1", seriesUid, 1, "T1 MPRAGE", studyUid + ".9"),
                dir.resolve("dicom").resolve(studyUid));
        List<InstanceRef> instances = new ArrayList<>();
        for (int n = 0; n < files.size(); n++) {
            instances.add(InstanceRef.newBuilder().setSopInstanceUid(seriesUid + "." + (n + 1))
                    .setSopClassUid("1.2.840.10008.5.1.4.1.1.4").setInstanceNumber(n + 1)
                    .setBlobRef(blobs.putFile(files.get(n))).build());
        }
        return SeriesFixtures.t1(studyUid, date.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE))
                .setSeriesInstanceUid(seriesUid).setInstances(instances).build();
    }
}
