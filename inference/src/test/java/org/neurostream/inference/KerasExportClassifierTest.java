package org.neurostream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.inference.graph.SavedModelWriter;
import org.neurostream.inference.graph.SavedModelWriter.SignatureTensor;
import org.neurostream.inference.graph.TfGraphBuilder;

/**
 * A change classifier laid out as Keras exports one (signature keys from the Input layers, nodes
 * "serving_default_&lt;input&gt;", one sigmoid output "output_0" from "StatefulPartitionedCall", its own grid) loads
 * through its card alone: P(decline) = sigmoid(GAIN * (mean(follow-up) - mean(baseline))), which tells the two
 * inputs apart.
 */
class KerasExportClassifierTest {
    private static final int NX = 20;
    private static final int NY = 16;
    private static final int NZ = 12;
    private static final float GAIN = 50f;

    static Path write(Path dir, String first, String second) throws IOException {
        TfGraphBuilder g = new TfGraphBuilder();
        String prior = g.placeholder("serving_default_prior_scan", -1, NZ, NY, NX, 1);
        String current = g.placeholder("serving_default_current_scan", -1, NZ, NY, NX, 1);
        String change = g.mean("mean_change", g.sub("change", current, prior), 1, 2, 3, 4);
        String logit = g.mul("scaled", g.reshape("column", change, -1, 1), g.scalar("gain", GAIN));
        g.sigmoid("StatefulPartitionedCall", logit);
        Path pb = SavedModelWriter.write(dir, g.build(),
                List.of(new SignatureTensor("prior_scan", prior, -1, NZ, NY, NX, 1),
                        new SignatureTensor("current_scan", current, -1, NZ, NY, NX, 1)),
                List.of(new SignatureTensor("output_0", "StatefulPartitionedCall", -1, 1)));
        Files.createDirectories(dir.resolve("assets"));
        Files.writeString(dir.resolve("assets").resolve("classes.txt"), "declining\n");
        List<Long> shape = List.of(-1L, (long) NZ, (long) NY, (long) NX, 1L);
        new ModelCard("site-classifier", "3.1.0", "a site's own model", "Keras functional, exported",
                List.of(new ModelCard.TensorSpec(first, "float32", shape, "NDHWC", "baseline"),
                        new ModelCard.TensorSpec(second, "float32", shape, "NDHWC", "follow-up")),
                List.of(new ModelCard.TensorSpec("output_0", "float32", List.of(-1L, 1L), "NC", "P(decline)")),
                new ModelCard.Preprocessing(List.of(NX, NY, NZ), List.of(8.0, 8.0, 8.0), "resampleCentred", 1, 99,
                        "percentile"), ModelCard.Training.ofData("site data"), null, null, Sha256.of(pb),
                Map.of("assets/classes.txt", Sha256.of(dir.resolve("assets/classes.txt"))), null, null, null, null,
                null).withMetrics(List.of(new ModelCard.Metric("AUC", 0.9, "site hold-out"))).write(dir);
        return dir;
    }

    @Test
    void servesAKerasShapedExportByTheNamesInItsCard(@TempDir Path dir) throws IOException {
        write(dir, "prior_scan", "current_scan");
        try (ChangeClassifier classifier = ChangeClassifier.load(ModelFolder.open(dir).requireComplete())) {
            double up = classifier.predictPrepared(new PreparedPair(filled(0.40f), filled(0.44f)))
                    .declineProbability();
            double down = classifier.predictPrepared(new PreparedPair(filled(0.44f), filled(0.40f)))
                    .declineProbability();
            assertThat(up).isCloseTo(sigmoid(GAIN * 0.04), offset(1e-5));
            assertThat(down).isCloseTo(sigmoid(-GAIN * 0.04), offset(1e-5));
            assertThat(classifier.preprocessing().gridSize()).containsExactly(NX, NY, NZ);
            ModelInfo info = classifier.info();
            assertThat(info.name()).isEqualTo("site-classifier");
            assertThat(info.version()).isEqualTo("3.1.0");
            // The graph and its assets together identify the model.
            assertThat(info.sha256()).isEqualTo(ModelFolder.open(dir).sha256())
                    .isNotEqualTo(Sha256.of(dir.resolve("saved_model.pb")));
        }
    }

    @Test
    void theCardsInputOrderDecidesWhichVisitIsTheBaseline(@TempDir Path dir) throws IOException {
        write(dir, "current_scan", "prior_scan");
        try (ChangeClassifier classifier = ChangeClassifier.load(dir)) {
            assertThat(classifier.predictPrepared(new PreparedPair(filled(0.40f), filled(0.44f)))
                    .declineProbability()).isCloseTo(sigmoid(-GAIN * 0.04), offset(1e-5));
        }
    }

    @Test
    void aCardWhoseGridDoesNotFitTheInputsIsRefused(@TempDir Path dir) throws IOException {
        write(dir, "prior_scan", "current_scan");
        ModelCard c = ModelCard.read(dir);
        new ModelCard(c.name(), c.version(), null, null, c.inputs(), c.outputs(), ChangeClassifierPreprocessing.STANDARD,
                c.training(), null, c.metrics(), c.savedModelSha256(), c.filesSha256(), null, null, null, null, null)
                .write(dir);
        assertThatThrownBy(() -> ChangeClassifier.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("input 'prior_scan' has shape [-1, 12, 16, 20, 1]")
                .hasMessageContaining("[N, 48, 48, 48, 1]");
    }

    private static float[] filled(float value) {
        float[] values = new float[NX * NY * NZ];
        Arrays.fill(values, value);
        return values;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
