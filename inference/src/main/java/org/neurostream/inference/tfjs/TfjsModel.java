package org.neurostream.inference.tfjs;

import java.util.List;
import java.util.Locale;

/**
 * A TF.js layers-model as far as NeuroStream understands one: a single chain from a volume input through stride-1
 * "same" 3D convolutions and activations (the MeshNet family). Tensors are NDHWC; Conv3D kernels are
 * [kd, kh, kw, in, out] in row-major order, as in the weights file.
 *
 * @param name the Keras model name
 * @param generatedBy the exporter named in model.json (provenance only)
 * @param inputChannels channels of the input (1 for a T1 volume)
 * @param layers the chain after the input layer, in evaluation order
 */
public record TfjsModel(String name, String generatedBy, int inputChannels, List<Layer> layers) {

    /** Suffix of the layer names after which brainchop's runtime (not model.json) applies instance normalisation. */
    public static final String INSTANCE_NORM_SUFFIX = "_gn";
    /** Variance epsilon of that instance normalisation. */
    public static final float INSTANCE_NORM_EPSILON = 1e-5f;

    public TfjsModel {
        layers = List.copyOf(layers);
    }

    /** Element-wise activations, by their Keras names. */
    public enum Activation {
        LINEAR, RELU, ELU,
        /** The exact form x·Φ(x) = 0.5·x·(1 + erf(x/√2)): what TF.js and Keras mean by "gelu". */
        GELU;

        static Activation of(String kerasName) {
            if (kerasName == null) {
                return LINEAR;
            }
            return switch (kerasName.toLowerCase(Locale.ROOT)) {
                case "linear" -> LINEAR;
                case "relu" -> RELU;
                case "elu" -> ELU;
                case "gelu" -> GELU;
                default -> throw new IllegalArgumentException("unsupported activation '" + kerasName
                        + "' (supported: linear, relu, elu, gelu)");
            };
        }
    }

    /** One step of the chain. */
    public sealed interface Layer permits Conv3d, ActivationLayer {
        String name();
    }

    /**
     * Conv3D, stride 1, "same" padding.
     *
     * @param bias per-output-channel bias, or null when the layer has none
     * @param instanceNorm whether instance normalisation follows the convolution (before {@code activation})
     * @param activation the layer's own activation (Keras allows one inside Conv3D)
     */
    public record Conv3d(String name, int inChannels, int filters, int[] kernel, int[] dilation, float[] weights,
            float[] bias, boolean instanceNorm, Activation activation) implements Layer {

        public boolean dilated() {
            return dilation[0] > 1 || dilation[1] > 1 || dilation[2] > 1;
        }

        public int parameterCount() {
            return weights.length + (bias == null ? 0 : bias.length);
        }
    }

    /** A separate Activation layer. */
    public record ActivationLayer(String name, Activation activation) implements Layer {
    }

    /** Channels of the final output (the classes, for a segmentation model). */
    public int outputChannels() {
        int channels = inputChannels;
        for (Layer layer : layers) {
            if (layer instanceof Conv3d conv) {
                channels = conv.filters();
            }
        }
        return channels;
    }

    public List<Conv3d> convolutions() {
        return layers.stream().filter(Conv3d.class::isInstance).map(Conv3d.class::cast).toList();
    }

    public int parameterCount() {
        return convolutions().stream().mapToInt(Conv3d::parameterCount).sum();
    }
}
