package org.neurostream.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.neurostream.inference.tfjs.TfjsModel;

/**
 * A MeshNet (a chain of stride-1 "same" 3D convolutions, dilated or not, each followed by ReLU or nothing) as a DJL
 * block that trains, starting from the weights of a {@link TfjsModel}, and that turns back into one for export
 * through the same converter that serves brainchop's models. Inputs are NCDHW with D, H, W in the tensor order the
 * source model was trained in (LIA for brainchop's).
 *
 * <p>Weight layouts: TF.js keeps Conv3D kernels as [kd, kh, kw, in, out], PyTorch as [out, in, kd, kh, kw]; the
 * spatial axes are the same, so only the channel axes move.
 */
public final class MeshNetBlock extends AbstractBlock {
    private final TfjsModel source;
    private final List<TfjsModel.Conv3d> layers;
    private final List<Conv3d> convolutions = new ArrayList<>();

    public MeshNetBlock(TfjsModel source) {
        this.source = source;
        this.layers = chain(source);
        for (TfjsModel.Conv3d layer : layers) {
            int[] k = layer.kernel();
            int[] d = layer.dilation();
            Conv3d conv = Conv3d.builder().setKernelShape(new Shape(k[0], k[1], k[2]))
                    .optDilation(new Shape(d[0], d[1], d[2]))
                    .optPadding(new Shape((k[0] - 1) * d[0] / 2, (k[1] - 1) * d[1] / 2, (k[2] - 1) * d[2] / 2))
                    .optBias(layer.bias() != null).setFilters(layer.filters()).build();
            convolutions.add(addChildBlock(layer.name().replace('/', '_'), conv));
        }
    }

    /**
     * The source's convolutions with each one's following activation folded in; refuses what this block cannot
     * train exactly as the converter serves it (instance normalisation, activations other than ReLU, even kernels).
     */
    private static List<TfjsModel.Conv3d> chain(TfjsModel model) {
        List<TfjsModel.Conv3d> out = new ArrayList<>();
        for (TfjsModel.Layer layer : model.layers()) {
            if (layer instanceof TfjsModel.Conv3d conv) {
                if (conv.instanceNorm()) {
                    throw new IllegalArgumentException("layer " + conv.name() + ": instance normalisation is not "
                            + "supported for fine-tuning");
                }
                for (int k : conv.kernel()) {
                    if (k % 2 == 0) {
                        throw new IllegalArgumentException("layer " + conv.name() + ": even kernels have no "
                                + "symmetric 'same' padding");
                    }
                }
                out.add(conv);
            } else if (layer instanceof TfjsModel.ActivationLayer activation) {
                if (out.isEmpty() || out.get(out.size() - 1).activation() != TfjsModel.Activation.LINEAR) {
                    throw new IllegalArgumentException("activation " + activation.name() + " does not follow a "
                            + "linear convolution");
                }
                TfjsModel.Conv3d last = out.remove(out.size() - 1);
                out.add(new TfjsModel.Conv3d(last.name(), last.inChannels(), last.filters(), last.kernel(),
                        last.dilation(), last.weights(), last.bias(), false, activation.activation()));
            }
        }
        for (TfjsModel.Conv3d conv : out) {
            if (conv.activation() != TfjsModel.Activation.RELU && conv.activation() != TfjsModel.Activation.LINEAR) {
                throw new IllegalArgumentException("layer " + conv.name() + ": activation " + conv.activation()
                        + " is not supported for fine-tuning (ReLU or linear)");
            }
        }
        return out;
    }

    /** Copies the source model's weights into the initialised parameters (call after the trainer's initialize). */
    public void loadSourceWeights() {
        for (int l = 0; l < layers.size(); l++) {
            TfjsModel.Conv3d layer = layers.get(l);
            convolutions.get(l).getParameters().get("weight").getArray().set(toTorch(layer));
            if (layer.bias() != null) {
                convolutions.get(l).getParameters().get("bias").getArray().set(layer.bias());
            }
        }
    }

    /**
     * The trained network as a TF.js-shaped model, for {@code TfjsConverter.writeSavedModel}; {@code provenance}
     * takes the place of the exporter's name (it shows in the card's architecture line).
     */
    public TfjsModel toTfjs(String name, String provenance) {
        List<TfjsModel.Layer> trained = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            TfjsModel.Conv3d layer = layers.get(l);
            float[] weights = toTf(layer, convolutions.get(l).getParameters().get("weight").getArray()
                    .toFloatArray());
            float[] bias = layer.bias() == null ? null
                    : convolutions.get(l).getParameters().get("bias").getArray().toFloatArray();
            trained.add(new TfjsModel.Conv3d(layer.name(), layer.inChannels(), layer.filters(), layer.kernel(),
                    layer.dilation(), weights, bias, false, layer.activation()));
        }
        return new TfjsModel(name, provenance, source.inputChannels(), trained);
    }

    static float[] toTorch(TfjsModel.Conv3d conv) {
        return relayout(conv, conv.weights(), true);
    }

    static float[] toTf(TfjsModel.Conv3d conv, float[] torch) {
        return relayout(conv, torch, false);
    }

    /** [kd, kh, kw, in, out] ↔ [out, in, kd, kh, kw]. */
    private static float[] relayout(TfjsModel.Conv3d conv, float[] from, boolean tfToTorch) {
        int[] k = conv.kernel();
        int in = conv.inChannels();
        int outC = conv.filters();
        int spatial = k[0] * k[1] * k[2];
        float[] to = new float[from.length];
        for (int s = 0; s < spatial; s++) {
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < outC; o++) {
                    int tf = (s * in + i) * outC + o;
                    int torch = (o * in + i) * spatial + s;
                    if (tfToTorch) {
                        to[torch] = from[tf];
                    } else {
                        to[tf] = from[torch];
                    }
                }
            }
        }
        return to;
    }

    public int classes() {
        return layers.get(layers.size() - 1).filters();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        for (int l = 0; l < layers.size(); l++) {
            x = convolutions.get(l).forward(store, new NDList(x), training).singletonOrThrow();
            if (layers.get(l).activation() == TfjsModel.Activation.RELU) {
                x = Activation.relu(x);
            }
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), classes(), in.get(2), in.get(3), in.get(4))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        for (int l = 0; l < layers.size(); l++) {
            convolutions.get(l).initialize(manager, dataType, new Shape(in.get(0), layers.get(l).inChannels(),
                    in.get(2), in.get(3), in.get(4)));
        }
    }
}
