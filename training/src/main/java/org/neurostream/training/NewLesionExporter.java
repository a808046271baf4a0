package org.neurostream.training;

import ai.djl.nn.convolutional.Conv3d;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.neurostream.inference.graph.SavedModelWriter;
import org.neurostream.inference.graph.SavedModelWriter.SignatureTensor;
import org.neurostream.inference.graph.TfGraphBuilder;
import org.neurostream.inference.lesions.NewLesionSegmenter;

/**
 * Turns a trained {@link NewLesionNet} into the frozen TensorFlow SavedModel that {@link NewLesionSegmenter} serves,
 * for a fixed window W: inputs [N, W, W, W, 1] NDHWC, output P(new lesion) of the same shape. The graph is the
 * network's forward pass op for op (convolutions in TensorFlow's kernel layout, channels concatenated in the order
 * DJL concatenated them), so {@code NewLesionExportParityTest} can compare the two voxel by voxel.
 */
public final class NewLesionExporter {
    private NewLesionExporter() {
    }

    /** Writes saved_model.pb into {@code directory} for windows of {@code window}^3 (even); returns its path. */
    public static Path export(NewLesionNet net, int window, Path directory) throws IOException {
        if (window % 2 != 0) {
            throw new IllegalArgumentException("the window must be even (one 2x pooling step), got " + window);
        }
        long[] shape = {-1, window, window, window, 1};
        TfGraphBuilder g = new TfGraphBuilder();
        String baseline = g.placeholder(NewLesionSegmenter.INPUT_BASELINE, shape);
        String followUp = g.placeholder(NewLesionSegmenter.INPUT_FOLLOWUP, shape);
        Weights encodeFull = weights(g, "encode_full", net.encodeFull);
        Weights encodeHalf = weights(g, "encode_half", net.encodeHalf);

        String[] b = encode(g, "baseline", baseline, encodeFull, encodeHalf);
        String[] f = encode(g, "followup", followUp, encodeFull, encodeHalf);
        String fullFused = g.concat("fuse_full", 4, f[0], g.sub("fuse_full/difference", f[0], b[0]));
        String halfFused = g.concat("fuse_half", 4, f[1], g.sub("fuse_half/difference", f[1], b[1]));
        String x = convolve(g, "bottleneck1", halfFused, weights(g, "bottleneck1", net.bottleneck1), true);
        x = convolve(g, "bottleneck2", x, weights(g, "bottleneck2", net.bottleneck2), true);
        int half = window / 2;
        String up = g.upsampleNearest3d("upsample", x, half, half, half, NewLesionNet.HALF);
        x = convolve(g, "decode", g.concat("skip", 4, up, fullFused), weights(g, "decode", net.decode), true);
        x = convolve(g, "output", x, weights(g, "output", net.output), false);
        String probability = g.identity(NewLesionSegmenter.OUTPUT, g.sigmoid("sigmoid", x));

        return SavedModelWriter.write(directory, g.build(),
                List.of(new SignatureTensor(NewLesionSegmenter.INPUT_BASELINE, baseline, shape),
                        new SignatureTensor(NewLesionSegmenter.INPUT_FOLLOWUP, followUp, shape)),
                List.of(new SignatureTensor(NewLesionSegmenter.OUTPUT, probability, shape)));
    }

    private record Weights(String filter, String bias) {
    }

    private static Weights weights(TfGraphBuilder g, String name, Conv3d conv) {
        SavedModelExporter.FoldedConv c = SavedModelExporter.plain(conv);
        return new Weights(g.constant(name + "/filter", c.filter(), c.filterShape()),
                g.constant(name + "/bias", c.bias(), c.bias().length));
    }

    /** Full- and half-resolution features of one visit (shared weights). */
    private static String[] encode(TfGraphBuilder g, String visit, String input, Weights full, Weights half) {
        String f = convolve(g, visit + "/encode_full", input, full, true);
        String pooled = g.avgPool3d(visit + "/pool", f, 2);
        return new String[] {f, convolve(g, visit + "/encode_half", pooled, half, true)};
    }

    private static String convolve(TfGraphBuilder g, String name, String input, Weights w, boolean activate) {
        String x = g.biasAdd(name + "/bias_add", g.conv3dSame(name + "/conv", input, w.filter()), w.bias());
        return activate ? g.leakyRelu(name + "/act", x, NewLesionNet.LEAKY_ALPHA) : x;
    }
}
