package org.neurostream.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neurostream.inference.ChangeClassifier;
import org.neurostream.inference.graph.SavedModelWriter;
import org.neurostream.inference.graph.SavedModelWriter.SignatureTensor;
import org.neurostream.inference.graph.TfGraphBuilder;

/**
 * Turns a trained {@link SiameseChangeNet} (DJL/PyTorch parameters) into the frozen TensorFlow SavedModel that
 * {@link ChangeClassifier} serves.
 *
 * <p>Three conversions matter: batch norm (inference mode, running statistics) is folded into the preceding
 * convolution; Conv3d kernels go from PyTorch's [out, in, kd, kh, kw] to TensorFlow's [kd, kh, kw, in, out], Dense
 * weights from [out, in] to [in, out]; and TensorFlow's NDHWC features are transposed to channels-first before
 * flattening, so the first Dense layer sees them in the order it was trained on.
 */
public final class SavedModelExporter {
    private SavedModelExporter() {
    }

    /** Writes saved_model.pb and variables/ into {@code directory}; returns the saved_model.pb path. */
    public static Path export(SiameseChangeNet net, int[] gridSize, Path directory) throws IOException {
        long[] inputShape = {-1, gridSize[2], gridSize[1], gridSize[0], 1};
        TfGraphBuilder g = new TfGraphBuilder();
        String baseline = g.placeholder(ChangeClassifier.INPUT_BASELINE, inputShape);
        String followUp = g.placeholder(ChangeClassifier.INPUT_FOLLOWUP, inputShape);

        List<String[]> convWeights = new ArrayList<>();
        for (int layer = 0; layer < net.convolutions().size(); layer++) {
            FoldedConv folded = fold(net.convolutions().get(layer), net.batchNorms().get(layer));
            convWeights.add(new String[] {
                g.constant("conv" + layer + "/filter", folded.filter(), folded.filterShape()),
                g.constant("conv" + layer + "/bias", folded.bias(), folded.bias().length)});
        }
        String baselineFeatures = branch(g, "baseline_branch", baseline, convWeights);
        String followUpFeatures = branch(g, "followup_branch", followUp, convWeights);
        String difference = g.sub("difference", followUpFeatures, baselineFeatures);
        // Channels-first before flattening: DJL flattened [N, C, D, H, W].
        String channelsFirst = g.transpose("channels_first", difference, 0, 4, 1, 2, 3);
        String x = g.reshape("flatten", channelsFirst, -1, (int) inputCount(net.denses().get(0)));

        List<Linear> denses = net.denses();
        for (int layer = 0; layer < denses.size(); layer++) {
            Linear dense = denses.get(layer);
            String weights = g.constant("dense" + layer + "/weights", transposed(dense), inputCount(dense),
                    outputCount(dense));
            String bias = g.constant("dense" + layer + "/bias", values(dense, "bias"), outputCount(dense));
            x = g.biasAdd("dense" + layer, g.matMul("dense" + layer + "/matmul", x, weights), bias);
            if (layer < denses.size() - 1) {
                x = g.leakyRelu("dense" + layer + "/act", x, SiameseChangeNet.LEAKY_ALPHA);
            }
            // Dropout is the identity at inference time: nothing to export.
        }
        String probabilities = g.identity(ChangeClassifier.OUTPUT_PROBABILITIES, g.softmax("softmax", x));

        return SavedModelWriter.write(directory, g.build(),
                List.of(new SignatureTensor(ChangeClassifier.INPUT_BASELINE, baseline, inputShape),
                        new SignatureTensor(ChangeClassifier.INPUT_FOLLOWUP, followUp, inputShape)),
                List.of(new SignatureTensor(ChangeClassifier.OUTPUT_PROBABILITIES, probabilities, -1,
                        SiameseChangeNet.CLASSES)));
    }

    private static String branch(TfGraphBuilder g, String name, String input, List<String[]> convWeights) {
        String x = input;
        for (int layer = 0; layer < convWeights.size(); layer++) {
            String prefix = name + "/block" + layer;
            x = g.conv3dSame(prefix + "/conv", x, convWeights.get(layer)[0]);
            x = g.biasAdd(prefix + "/bias", x, convWeights.get(layer)[1]);
            x = g.leakyRelu(prefix + "/act", x, SiameseChangeNet.LEAKY_ALPHA);
            x = g.avgPool3d(prefix + "/pool", x, 2);
        }
        return x;
    }

    /** A convolution with its batch norm folded in, already in TensorFlow's layout. */
    record FoldedConv(float[] filter, long[] filterShape, float[] bias) {
    }

    /** y = gamma (conv(x) + b - mean) / sqrt(var + eps) + beta = conv'(x) + b'. */
    static FoldedConv fold(Conv3d conv, BatchNorm norm) {
        NDArray weight = parameter(conv, "weight").getArray();
        int out = (int) weight.getShape().get(0);
        float[] convBias = conv.getDirectParameters().contains("bias") ? values(conv, "bias") : new float[out];
        float[] gamma = values(norm, "gamma");
        float[] beta = values(norm, "beta");
        float[] mean = values(norm, "runningMean");
        float[] variance = values(norm, "runningVar");
        double[] scale = new double[out];
        float[] bias = new float[out];
        for (int o = 0; o < out; o++) {
            scale[o] = gamma[o] / Math.sqrt(variance[o] + SiameseChangeNet.BATCH_NORM_EPSILON);
            bias[o] = (float) ((convBias[o] - mean[o]) * scale[o] + beta[o]);
        }
        return tensorFlowLayout(weight, scale, bias);
    }

    /** A convolution without batch norm, in TensorFlow's layout. */
    static FoldedConv plain(Conv3d conv) {
        NDArray weight = parameter(conv, "weight").getArray();
        int out = (int) weight.getShape().get(0);
        double[] unit = new double[out];
        java.util.Arrays.fill(unit, 1);
        return tensorFlowLayout(weight, unit,
                conv.getDirectParameters().contains("bias") ? values(conv, "bias") : new float[out]);
    }

    /** PyTorch's [out, in, kd, kh, kw] kernel, each output channel scaled, as TensorFlow's [kd, kh, kw, in, out]. */
    private static FoldedConv tensorFlowLayout(NDArray weight, double[] scale, float[] bias) {
        long[] shape = weight.getShape().getShape();
        int out = (int) shape[0];
        int in = (int) shape[1];
        int kernel = (int) (shape[2] * shape[3] * shape[4]);
        float[] w = weight.toFloatArray();
        float[] filter = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int k = 0; k < kernel; k++) {
                    filter[(k * in + i) * out + o] = (float) (w[(o * in + i) * kernel + k] * scale[o]);
                }
            }
        }
        return new FoldedConv(filter, new long[] {shape[2], shape[3], shape[4], in, out}, bias);
    }

    /** Dense weights [out, in] as [in, out]. */
    private static float[] transposed(Linear dense) {
        float[] w = values(dense, "weight");
        int out = (int) outputCount(dense);
        int in = (int) inputCount(dense);
        float[] result = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                result[i * out + o] = w[o * in + i];
            }
        }
        return result;
    }

    private static long outputCount(Linear dense) {
        return parameter(dense, "weight").getArray().getShape().get(0);
    }

    private static long inputCount(Linear dense) {
        return parameter(dense, "weight").getArray().getShape().get(1);
    }

    private static float[] values(Block block, String name) {
        return parameter(block, name).getArray().toFloatArray();
    }

    private static Parameter parameter(Block block, String name) {
        Parameter parameter = block.getDirectParameters().get(name);
        if (parameter == null) {
            throw new IllegalStateException(block.getClass().getSimpleName() + " has no parameter " + name
                    + "; it has " + block.getDirectParameters().keys());
        }
        return parameter;
    }
}
