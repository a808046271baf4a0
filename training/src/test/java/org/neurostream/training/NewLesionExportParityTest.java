package org.neurostream.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.imaging.Volume;
import org.neurostream.inference.ModelCard;
import org.neurostream.inference.Sha256;
import org.neurostream.inference.lesions.NewLesionInputs;
import org.neurostream.inference.lesions.NewLesionSegmenter;
import org.slf4j.LoggerFactory;

/**
 * The exported new-lesion SavedModel, served by DJL TensorFlow through the processor's sliding window, answers as
 * the DJL PyTorch network does, voxel by voxel. The volume is exactly one window, so the sliding window's
 * averaging is out of the comparison and the graph (concatenation order, kernel layout, upsampling) is what is
 * tested.
 */
class NewLesionExportParityTest {
    private static final int WINDOW = 16;

    @Test
    void tensorFlowServingMatchesPyTorch(@TempDir Path dir) throws Exception {
        Random random = new Random(5);
        int voxels = WINDOW * WINDOW * WINDOW;
        float[] baseline = new float[voxels];
        float[] followUp = new float[voxels];
        float[] labels = new float[voxels];
        for (int n = 0; n < voxels; n++) {
            baseline[n] = 0.5f + random.nextFloat();
            followUp[n] = baseline[n] + (n % 97 < 9 ? 1.5f : 0.05f * (float) random.nextGaussian());
            labels[n] = n % 97 < 9 ? 1 : 0;
        }
        Volume grid = Volume.zeros(WINDOW, WINDOW, WINDOW, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        // PyTorch sees what the served path makes of the raw volumes: each divided by its head median.
        float[] baselineIn = NewLesionInputs.normalised(grid.withData(baseline));
        float[] followUpIn = NewLesionInputs.normalised(grid.withData(followUp));
        float[] expected;
        try (NewLesionTrainer trainer = new NewLesionTrainer(WINDOW, 7)) {
            for (int step = 0; step < 3; step++) { // moves the weights off their initial values
                trainer.step(baselineIn, followUpIn, labels, 1);
            }
            expected = trainer.predict(baselineIn, followUpIn, WINDOW);
            Path savedModel = NewLesionExporter.export(trainer.net(), WINDOW, dir);
            NewLesionModelCard.create("test", WINDOW, ModelCard.Training.ofData("random test patches"),
                    List.of(new ModelCard.Metric("none", 0, "parity test only")), Sha256.of(savedModel), "n/a")
                    .write(dir);
        }
        float[] served;
        try (NewLesionSegmenter segmenter = NewLesionSegmenter.load(dir)) {
            served = segmenter.probabilities(grid.withData(baseline), grid.withData(followUp)).data();
        }
        double maxDifference = 0;
        double spread = 0;
        for (int n = 0; n < voxels; n++) {
            maxDifference = Math.max(maxDifference, Math.abs(served[n] - expected[n]));
            spread = Math.max(spread, Math.abs(expected[n] - expected[0]));
        }
        LoggerFactory.getLogger(getClass()).info("max |P_tf - P_torch| = {} over {} voxels", maxDifference, voxels);
        assertThat(maxDifference).isLessThan(1e-4);
        assertThat(spread).as("a constant output would pass trivially").isGreaterThan(1e-3);
    }
}
