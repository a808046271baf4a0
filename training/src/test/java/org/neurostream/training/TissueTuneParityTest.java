package org.neurostream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.inference.tfjs.BrainchopModel;
import org.neurostream.inference.tfjs.ServedModel;
import org.neurostream.inference.tfjs.TfjsConverter;
import org.neurostream.inference.tfjs.TfjsModel;
import org.neurostream.inference.tfjs.TfjsModelReader;
import org.neurostream.inference.tfjs.TfjsReference;
import org.slf4j.LoggerFactory;

/**
 * The fine-tuned tissue model is the network that was trained: brainchop's weights go into the PyTorch block
 * unchanged (and it computes what the plain-Java reference of the source computes), and after tuning steps the
 * exported SavedModel, served by DJL TensorFlow, answers as the PyTorch block does, voxel by voxel. The input's
 * three sides differ, so a swapped axis cannot pass.
 */
class TissueTuneParityTest {
    private static final int D = 20;
    private static final int H = 18;
    private static final int W = 22;
    private static TfjsModel model11;

    @BeforeAll
    static void readModel11() throws Exception {
        Path brainchop = Path.of(System.getProperty("neurostream.repo", "..")).toAbsolutePath().normalize()
                .resolveSibling("shared").resolve("data").resolve("brainchop");
        Path source = brainchop.resolve(BrainchopModel.MODEL11_GW_AE.directory());
        assumeTrue(Files.isRegularFile(source.resolve("model.json")), "brainchop models not found at " + brainchop);
        model11 = TfjsModelReader.read(source);
    }

    @Test
    void startsFromTheSourceWeightsAndComputesWhatTheSourceComputes() {
        float[] input = volume(new Random(1));
        float[] torch;
        TfjsModel loaded;
        try (TissueTuner tuner = new TissueTuner(model11, 24, 3)) {
            torch = tuner.predict(input, D, H, W);
            loaded = tuner.net().toTfjs("loaded", "test");
        }
        for (int l = 0; l < model11.convolutions().size(); l++) {
            assertThat(loaded.convolutions().get(l).weights()).containsExactly(model11.convolutions().get(l).weights());
            assertThat(loaded.convolutions().get(l).bias()).containsExactly(model11.convolutions().get(l).bias());
        }
        float[] reference = TfjsReference.softmax(TfjsReference.run(model11, input, D, H, W), 3);
        assertThat(ServedModel.maxAbsDifference(channelsLast(torch, 3), reference)).isLessThan(1e-4);
    }

    @Test
    void servedSavedModelMatchesPyTorchAfterTuning(@TempDir Path dir) throws Exception {
        Random random = new Random(2);
        int patch = 24;
        float[] image = new float[patch * patch * patch];
        float[] classes = new float[image.length];
        for (int n = 0; n < image.length; n++) {
            classes[n] = random.nextInt(3);
            image[n] = 0.2f + 0.3f * classes[n] + 0.05f * (float) random.nextGaussian();
        }
        float[] input = volume(random);
        float[] torch;
        TfjsModel tuned;
        try (TissueTuner tuner = new TissueTuner(model11, patch, 3)) {
            for (int step = 0; step < 2; step++) {
                tuner.step(image, classes, 1);
            }
            torch = channelsLast(tuner.predict(input, D, H, W), 3);
            tuned = tuner.net().toTfjs("tuned", "test");
        }
        assertThat(tuned.convolutions().get(0).weights()).as("tuning moved the weights")
                .isNotEqualTo(model11.convolutions().get(0).weights());
        TfjsConverter.writeSavedModel(tuned, dir);
        float[] served = ServedModel.run(dir, input, D, H, W).probabilities();
        double difference = ServedModel.maxAbsDifference(served, torch);
        LoggerFactory.getLogger(getClass()).info("max |P_tf - P_torch| = {} over {} voxels", difference, D * H * W);
        assertThat(difference).isLessThan(1e-4);
        float[] untuned = TfjsReference.softmax(TfjsReference.run(model11, input, D, H, W), 3);
        assertThat(ServedModel.maxAbsDifference(served, untuned)).as("the served model is the tuned one")
                .isGreaterThan(1e-3);
    }

    /** A T1-like [D, H, W] volume in 0..1: smooth structure plus noise. */
    private static float[] volume(Random random) {
        float[] v = new float[D * H * W];
        for (int d = 0; d < D; d++) {
            for (int h = 0; h < H; h++) {
                for (int w = 0; w < W; w++) {
                    v[(d * H + h) * W + w] = (float) (0.5 + 0.3 * Math.sin(d / 3.0) * Math.cos(h / 4.0 + w / 5.0)
                            + 0.05 * random.nextGaussian());
                }
            }
        }
        return v;
    }

    /** NCDHW (batch 1) to NDHWC. */
    private static float[] channelsLast(float[] ncdhw, int channels) {
        int voxels = ncdhw.length / channels;
        float[] out = new float[ncdhw.length];
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < voxels; v++) {
                out[v * channels + c] = ncdhw[c * voxels + v];
            }
        }
        return out;
    }
}
