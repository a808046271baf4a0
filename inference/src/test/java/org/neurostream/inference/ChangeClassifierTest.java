package org.neurostream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.imaging.Volume;
import org.neurostream.inference.graph.SavedModelWriter;
import org.neurostream.inference.graph.SavedModelWriter.SignatureTensor;
import org.neurostream.inference.graph.TfGraphBuilder;

/**
 * Serves a hand-made model with the change classifier's signature: P(decline) = sigmoid(GAIN * mean(followup -
 * baseline)), so the expected answers are known exactly.
 */
class ChangeClassifierTest {
    private static final int N = 48;
    private static final float GAIN = 100f;
    /** Float32 averaging of 48^3 voxels, amplified by GAIN, moves the probability by ~1e-4. */
    private static final double TOLERANCE = 5e-4;

    @Test
    void predictsFromPreparedInputsAndReportsTheModel(@TempDir Path dir) throws IOException {
        writeMeanDifferenceModel(dir);
        try (ChangeClassifier classifier = ChangeClassifier.load(dir)) {
            ChangePrediction prediction = classifier.predictPrepared(new PreparedPair(filled(0.50f), filled(0.51f)));

            assertThat(prediction.declineProbability()).isCloseTo(sigmoid(GAIN * (0.51f - 0.50f)), offset(TOLERANCE));
            assertThat(prediction.declining()).isTrue();
            assertThat(prediction.model().name()).isEqualTo("test-change-classifier");
            assertThat(prediction.model().version()).isEqualTo("0.0.1");
            assertThat(prediction.model().sha256()).isEqualTo(Sha256.of(dir.resolve("saved_model.pb")))
                    .hasSize(64);
            assertThat(prediction.model().device()).isEqualTo("CPU cpu()");
        }
    }

    @Test
    void onePredictorPerCallerGivesTheSameAnswers(@TempDir Path dir) throws IOException {
        writeMeanDifferenceModel(dir);
        try (ChangeClassifier classifier = ChangeClassifier.load(dir);
                ChangeClassifier.ChangePredictor predictor = classifier.newPredictor()) {
            double stable = predictor.predict(new PreparedPair(filled(0.5f), filled(0.5f))).declineProbability();
            double lower = predictor.predict(new PreparedPair(filled(0.5f), filled(0.48f))).declineProbability();
            assertThat(stable).isCloseTo(0.5, offset(1e-6));
            assertThat(lower).isCloseTo(sigmoid(GAIN * (0.48f - 0.5f)), offset(TOLERANCE));
        }
    }

    @Test
    void preprocessesVolumesWithTheCardsNumbers(@TempDir Path dir) throws IOException {
        writeMeanDifferenceModel(dir);
        Volume baseline = gradient(60, 0f);
        try (ChangeClassifier classifier = ChangeClassifier.load(dir)) {
            assertThat(classifier.preprocessing().gridSize()).containsExactly(48, 48, 48);
            double same = classifier.predict(baseline, gradient(60, 0f)).declineProbability();
            assertThat(same).isCloseTo(0.5, offset(1e-6));
        }
    }

    @Test
    void refusesAModelWhoseChecksumDoesNotMatchItsCard(@TempDir Path dir) throws IOException {
        writeMeanDifferenceModel(dir);
        ModelCard card = ModelCard.read(dir);
        new ModelCard(card.name(), card.version(), null, null, null, null, card.preprocessing(), null, null,
                "0".repeat(64), null, null).write(dir);
        assertThatThrownBy(() -> ChangeClassifier.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("SHA-256");
    }

    static void writeMeanDifferenceModel(Path dir) throws IOException {
        TfGraphBuilder g = new TfGraphBuilder();
        String baseline = g.placeholder("baseline", -1, N, N, N, 1);
        String followUp = g.placeholder("followup", -1, N, N, N, 1);
        String mean = g.avgPool3d("mean", g.sub("diff", followUp, baseline), N);
        String flat = g.reshape("flatten", mean, -1, 1);
        String logits = g.matMul("logits", flat, g.constant("weights", new float[] {0, GAIN}, 1, 2));
        g.identity("probabilities", g.softmax("softmax", logits));
        Path file = SavedModelWriter.write(dir, g.build(),
                List.of(new SignatureTensor("baseline", baseline, -1, N, N, N, 1),
                        new SignatureTensor("followup", followUp, -1, N, N, N, 1)),
                List.of(new SignatureTensor("probabilities", "probabilities", -1, 2)));
        List<Long> shape = List.of(-1L, (long) N, (long) N, (long) N, 1L);
        new ModelCard("test-change-classifier", "0.0.1", "test model", "mean difference",
                List.of(new ModelCard.TensorSpec("baseline", "float32", shape, "NDHWC", "prior"),
                        new ModelCard.TensorSpec("followup", "float32", shape, "NDHWC", "follow-up")),
                List.of(new ModelCard.TensorSpec("probabilities", "float32", List.of(-1L, 2L), "NC",
                        "[stable, declining]")),
                ChangeClassifierPreprocessing.STANDARD, null, null, Sha256.of(file), null, null).write(dir);
    }

    private static float[] filled(float value) {
        float[] values = new float[N * N * N];
        Arrays.fill(values, value);
        return values;
    }

    /** A 3 mm cube whose intensity rises along x. */
    private static Volume gradient(int size, float offset) {
        Volume volume = Volume.zeros(size, size, size, new double[] {3, 3, 3}, new double[] {0, 0, 0});
        for (int k = 0; k < size; k++) {
            for (int j = 0; j < size; j++) {
                for (int i = 0; i < size; i++) {
                    volume.set(i, j, k, offset + i * 10f);
                }
            }
        }
        return volume;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
