package org.neurostream.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The 3D siamese change classifier after Ostertag et al. (seed 000), sized for 48^3 inputs.
 *
 * <p>One branch, applied to both visits with the same weights: 3 x [Conv3d 3x3x3 same, BatchNorm, LeakyReLU,
 * AvgPool3d 2x2x2]. Fusion = follow-up features minus baseline features (the network looks for differences, not
 * similarities). Head: flatten, Dense, LeakyReLU, Dense, LeakyReLU, Dropout 0.5, Dense(2) logits (index 1 =
 * declining). Inputs are NCDHW [N, 1, 48, 48, 48].
 */
public final class SiameseChangeNet extends AbstractBlock {
    public static final int[] CHANNELS = {8, 16, 16};
    public static final int[] HIDDEN_UNITS = {64, 32};
    public static final int CLASSES = 2;
    public static final float LEAKY_ALPHA = 0.1f;
    public static final float BATCH_NORM_EPSILON = 1e-5f;
    public static final float DROPOUT = 0.5f;
    public static final String DESCRIPTION = "3D siamese CNN (after Ostertag et al., 3DSiameseNet): shared branch of"
            + " 3 x [Conv3d 3x3x3 same padding, BatchNorm, LeakyReLU(" + LEAKY_ALPHA + "), AvgPool3d 2x2x2] with"
            + " 8/16/16 channels; fusion = follow-up features - baseline features; flatten; Dense(64), LeakyReLU,"
            + " Dense(32), LeakyReLU, Dropout(0.5), Dense(2), softmax. Batch norm is folded into the convolutions"
            + " in the exported graph.";

    private final SequentialBlock branch = new SequentialBlock();
    private final SequentialBlock head = new SequentialBlock();
    private final List<Conv3d> convolutions = new ArrayList<>();
    private final List<BatchNorm> batchNorms = new ArrayList<>();
    private final List<Linear> denses = new ArrayList<>();

    public SiameseChangeNet() {
        for (int filters : CHANNELS) {
            Conv3d conv = Conv3d.builder().setKernelShape(new Shape(3, 3, 3)).optPadding(new Shape(1, 1, 1))
                    .setFilters(filters).build();
            BatchNorm norm = BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).build();
            convolutions.add(conv);
            batchNorms.add(norm);
            branch.add(conv).add(norm).add(Activation.leakyReluBlock(LEAKY_ALPHA))
                    .add(Pool.avgPool3dBlock(new Shape(2, 2, 2), new Shape(2, 2, 2)));
        }
        head.add(Blocks.batchFlattenBlock());
        for (int units : HIDDEN_UNITS) {
            head.add(dense(units)).add(Activation.leakyReluBlock(LEAKY_ALPHA));
        }
        head.add(Dropout.builder().optRate(DROPOUT).build()).add(dense(CLASSES));
        addChildBlock("branch", branch);
        addChildBlock("head", head);
    }

    private Linear dense(int units) {
        Linear linear = Linear.builder().setUnits(units).build();
        denses.add(linear);
        return linear;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray baseline = branch.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
        NDArray followUp = branch.forward(store, new NDList(inputs.get(1)), training).singletonOrThrow();
        return head.forward(store, new NDList(followUp.sub(baseline)), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(branch.getOutputShapes(new Shape[] {inputShapes[0]}));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        branch.initialize(manager, dataType, inputShapes[0]);
        head.initialize(manager, dataType, branch.getOutputShapes(new Shape[] {inputShapes[0]}));
    }

    /** The convolutions in branch order (for export). */
    public List<Conv3d> convolutions() {
        return List.copyOf(convolutions);
    }

    /** The batch norms, one after each convolution. */
    public List<BatchNorm> batchNorms() {
        return List.copyOf(batchNorms);
    }

    /** The dense layers in head order. */
    public List<Linear> denses() {
        return List.copyOf(denses);
    }
}
