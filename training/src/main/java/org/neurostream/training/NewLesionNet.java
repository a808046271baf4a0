package org.neurostream.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * The siamese new-lesion segmenter after seed 001, as a light 3D U-Net with one resolution step: FLAIR of the
 * baseline (registered onto the follow-up's grid) and of the follow-up in, one logit per voxel out (new lesion).
 *
 * <p>Both visits go through the same encoder (shared weights): a 3x3x3 convolution at full resolution, then 2x2x2
 * average pooling and a 3x3x3 convolution at half resolution. At each level the two visits are fused as
 * [follow-up features, follow-up minus baseline features], so the network sees both what the follow-up shows and
 * what changed (an old lesion is bright in both visits; a new one only in the follow-up). Two convolutions work at
 * half resolution, the result is upsampled (nearest neighbour) and joined to the full-resolution fusion (the
 * U-Net's skip connection), then a 3x3x3 and a 1x1x1 convolution give the logit. Inputs are NCDHW [N, 1, D, H, W]
 * with even D, H, W. No batch norm: the net is small enough to train without it, and the export stays plain.
 */
public final class NewLesionNet extends AbstractBlock {
    public static final int FULL = 8;
    public static final int HALF = 16;
    public static final float LEAKY_ALPHA = 0.1f;
    public static final String DESCRIPTION = "siamese light 3D U-Net (after seed 001), one resolution step: shared"
            + " encoder conv3 1->" + FULL + " | avgpool 2 | conv3 " + FULL + "->" + HALF + "; fusion per level"
            + " [follow-up, follow-up - baseline]; conv3 " + 2 * HALF + "->" + HALF + ", conv3 " + HALF + "->"
            + HALF + " at half resolution; nearest upsampling x2, concatenated with the full-resolution fusion;"
            + " conv3 " + (HALF + 2 * FULL) + "->" + FULL + ", conv1 " + FULL + "->1; LeakyReLU(" + LEAKY_ALPHA
            + ") after every convolution but the last; sigmoid";

    final Conv3d encodeFull = conv(FULL, 3);
    final Conv3d encodeHalf = conv(HALF, 3);
    final Conv3d bottleneck1 = conv(HALF, 3);
    final Conv3d bottleneck2 = conv(HALF, 3);
    final Conv3d decode = conv(FULL, 3);
    final Conv3d output = conv(1, 1);

    public NewLesionNet() {
        addChildBlock("encode_full", encodeFull);
        addChildBlock("encode_half", encodeHalf);
        addChildBlock("bottleneck1", bottleneck1);
        addChildBlock("bottleneck2", bottleneck2);
        addChildBlock("decode", decode);
        addChildBlock("output", output);
    }

    private static Conv3d conv(int filters, int kernel) {
        int pad = kernel / 2;
        return Conv3d.builder().setKernelShape(new Shape(kernel, kernel, kernel)).optPadding(new Shape(pad, pad, pad))
                .setFilters(filters).build();
    }

    /** The convolutions in graph order, for export. */
    public List<Conv3d> convolutions() {
        return List.of(encodeFull, encodeHalf, bottleneck1, bottleneck2, decode, output);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray[] baseline = encode(store, inputs.get(0), training);
        NDArray[] followUp = encode(store, inputs.get(1), training);
        NDArray fullFused = NDArrays.concat(new NDList(followUp[0], followUp[0].sub(baseline[0])), 1);
        NDArray halfFused = NDArrays.concat(new NDList(followUp[1], followUp[1].sub(baseline[1])), 1);
        NDArray x = act(apply(store, bottleneck1, halfFused, training));
        x = act(apply(store, bottleneck2, x, training));
        NDArray up = x.repeat(2, 2).repeat(3, 2).repeat(4, 2);
        x = act(apply(store, decode, NDArrays.concat(new NDList(up, fullFused), 1), training));
        return new NDList(apply(store, output, x, training));
    }

    /** Full- and half-resolution features of one visit. */
    private NDArray[] encode(ParameterStore store, NDArray image, boolean training) {
        NDArray full = act(apply(store, encodeFull, image, training));
        NDArray half = act(apply(store, encodeHalf, Pool.avgPool3d(full, new Shape(2, 2, 2), new Shape(2, 2, 2),
                new Shape(0, 0, 0), false, true),
                training));
        return new NDArray[] {full, half};
    }

    private static NDArray apply(ParameterStore store, Conv3d conv, NDArray x, boolean training) {
        return conv.forward(store, new NDList(x), training).singletonOrThrow();
    }

    private static NDArray act(NDArray x) {
        return Activation.leakyRelu(x, LEAKY_ALPHA);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), 1, in.get(2), in.get(3), in.get(4))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        long n = in.get(0);
        Shape full = new Shape(n, FULL, in.get(2), in.get(3), in.get(4));
        Shape half = new Shape(n, FULL, in.get(2) / 2, in.get(3) / 2, in.get(4) / 2);
        encodeFull.initialize(manager, dataType, in);
        encodeHalf.initialize(manager, dataType, half);
        bottleneck1.initialize(manager, dataType, new Shape(n, 2 * HALF, half.get(2), half.get(3), half.get(4)));
        bottleneck2.initialize(manager, dataType, new Shape(n, HALF, half.get(2), half.get(3), half.get(4)));
        decode.initialize(manager, dataType, new Shape(n, HALF + 2 * FULL, full.get(2), full.get(3), full.get(4)));
        output.initialize(manager, dataType, full);
    }
}
