package org.neurostream.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.inference.ChangeClassifier;
import org.neurostream.inference.ChangeClassifierPreprocessing;
import org.neurostream.inference.ModelCard;
import org.neurostream.inference.PreparedPair;
import org.neurostream.inference.Sha256;
import org.slf4j.LoggerFactory;

/** The exported SavedModel served by DJL TensorFlow answers as the DJL PyTorch network does. */
class ExportParityTest {
    private static final int[] GRID = {48, 48, 48};
    private final Random random = new Random(3);

    @Test
    void tensorFlowServingMatchesPyTorchInferenceMode(@TempDir Path dir) throws Exception {
        List<PreparedPair> inputs = List.of(randomPair(), randomPair(), randomPair());
        float[][] expected;
        try (ChangeClassifierTrainer trainer = new ChangeClassifierTrainer(GRID, 11)) {
            // A few steps move the batch-norm running statistics and weights away from their initial values,
            // so the folding is really exercised.
            List<LabelledPair> batch = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                batch.add(new LabelledPair(0, i, randomPair(), i % 2 == 1));
            }
            for (int step = 0; step < 3; step++) {
                trainer.step(batch);
            }
            expected = trainer.predict(inputs);
            Path savedModel = SavedModelExporter.export(trainer.net(), GRID, dir);
            ChangeClassifierModelCard.write(ChangeClassifierModelCard.create("test",
                    ChangeClassifierPreprocessing.STANDARD, new ModelCard.Training("random", 0, 4, 4, 3, 4,
                            ChangeClassifierTrainer.OPTIMIZER, "softmax cross-entropy", null, null, null, "PyTorch"),
                    Sha256.of(savedModel)), dir);
        }

        double maxDifference = 0;
        try (ChangeClassifier served = ChangeClassifier.load(dir)) {
            for (int i = 0; i < inputs.size(); i++) {
                double probability = served.predictPrepared(inputs.get(i)).declineProbability();
                maxDifference = Math.max(maxDifference, Math.abs(probability - expected[i][1]));
            }
        }
        LoggerFactory.getLogger(ExportParityTest.class).info("max |P_tf - P_torch| = {}", maxDifference);
        assertThat(maxDifference).isLessThan(1e-4);
        // The inputs differ, so the answers must too: a constant output would pass trivially.
        assertThat(expected[0][1]).isNotEqualTo(expected[1][1]);
    }

    private PreparedPair randomPair() {
        int voxels = GRID[0] * GRID[1] * GRID[2];
        float[] baseline = new float[voxels];
        float[] followUp = new float[voxels];
        for (int i = 0; i < voxels; i++) {
            baseline[i] = random.nextFloat();
            followUp[i] = Math.min(1, Math.max(0, baseline[i] + 0.2f * (float) random.nextGaussian()));
        }
        return new PreparedPair(baseline, followUp);
    }
}
