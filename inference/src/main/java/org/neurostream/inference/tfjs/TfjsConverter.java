package org.neurostream.inference.tfjs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.neurostream.inference.ModelCard;
import org.neurostream.inference.Sha256;
import org.neurostream.inference.graph.SavedModelWriter;
import org.neurostream.inference.graph.SavedModelWriter.SignatureTensor;
import org.neurostream.inference.graph.TfGraphBuilder;
import org.neurostream.inference.tfjs.TfjsModel.Activation;
import org.neurostream.inference.tfjs.TfjsModel.ActivationLayer;
import org.neurostream.inference.tfjs.TfjsModel.Conv3d;
import org.neurostream.inference.tfjs.TfjsModel.Layer;
import org.tensorflow.proto.GraphDef;

/**
 * Turns a TF.js layers-model (MeshNet) into a frozen TensorFlow SavedModel that DJL serves, plus its model card
 * and the source's licence file.
 *
 * <p>Signature: input "volume" float32 [1, -1, -1, -1, channels] (NDHWC, any spatial size), outputs "logits"
 * [1, D, H, W, classes] and "probabilities" (softmax of the logits over the classes).
 *
 * <p>Dilated convolutions are built as SpaceToBatchND → Conv3D (dilation 1, VALID) → BatchToSpaceND, because
 * TensorFlow's own CPU kernel rejects dilation above 1 and only oneDNN runs it; this form runs everywhere. The
 * paddings are computed in the graph from the input's shape, so one model serves any volume size. The batch is
 * fixed at one because instance normalisation (mindgrab's "_gn" layers) is built as FusedBatchNormV3 in training
 * mode, which normalises over the batch too.
 *
 * <p>Conversion is deterministic: the same source files give the same bytes (no timestamps, fixed node order).
 */
public final class TfjsConverter {
    public static final String INPUT = "volume";
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";
    public static final String LICENCE_FILE = "LICENSE";

    /**
     * What the converter cannot read from model.json: the model's identity, meaning and preprocessing, where it
     * came from, what it was trained on, what was measured on the converted model here (null: nothing yet), and
     * the licence file that must travel with it.
     */
    public record ModelSpec(String name, String version, String description, String inputMeaning,
            String outputMeaning, ModelCard.Preprocessing preprocessing, String source, String licence,
            String limitations, String trainingData, List<ModelCard.Metric> metrics, Path licenceFile) {
    }

    private TfjsConverter() {
    }

    /**
     * Converts {@code tfjsDir} into {@code outDir}: saved_model.pb (+ empty variables/), model-card.json and
     * LICENSE. Returns the card written.
     */
    public static ModelCard convert(Path tfjsDir, Path outDir, ModelSpec spec) throws IOException {
        if (!Files.isRegularFile(spec.licenceFile())) {
            throw new IOException("licence file " + spec.licenceFile() + " is missing: the model may not be copied "
                    + "without its licence notice");
        }
        TfjsModel model = TfjsModelReader.read(tfjsDir);
        Path savedModel = writeSavedModel(model, outDir);
        // Bytes, not Files.copy: the copy must not inherit the source's read-only permission bits.
        Files.write(outDir.resolve(LICENCE_FILE), Files.readAllBytes(spec.licenceFile()));
        ModelCard card = new ModelCard(spec.name(), spec.version(), spec.description(), architecture(model),
                inputSpecs(model, spec.inputMeaning()), outputSpecs(model, spec.outputMeaning()),
                spec.preprocessing(), spec.trainingData() == null ? null
                        : ModelCard.Training.ofData(spec.trainingData()), null, spec.metrics(), Sha256.of(savedModel),
                null, null, spec.limitations(),
                "Not retrained here. To rebuild, run TfjsConverter on the source files named in 'source'; the "
                        + "conversion is deterministic and must reproduce savedModelSha256.",
                spec.source() + "; source files (sha256): " + sourceChecksums(tfjsDir),
                spec.licence());
        card.write(outDir);
        return card;
    }

    /**
     * Writes {@code model} as a frozen SavedModel into {@code outDir} with this converter's signature (input
     * "volume", outputs "logits" and "probabilities"); returns saved_model.pb. Also how a MeshNet fine-tuned here is
     * exported, so a converted and a fine-tuned model are served by the same code.
     */
    public static Path writeSavedModel(TfjsModel model, Path outDir) throws IOException {
        int channels = model.outputChannels();
        return SavedModelWriter.write(outDir, graph(model),
                List.of(new SignatureTensor(INPUT, INPUT, 1, -1, -1, -1, model.inputChannels())),
                List.of(new SignatureTensor(LOGITS, LOGITS, 1, -1, -1, -1, channels),
                        new SignatureTensor(PROBABILITIES, PROBABILITIES, 1, -1, -1, -1, channels)));
    }

    /** The card's entry for the signature's input. */
    public static List<ModelCard.TensorSpec> inputSpecs(TfjsModel model, String meaning) {
        return List.of(new ModelCard.TensorSpec(INPUT, "float32", List.of(1L, -1L, -1L, -1L,
                (long) model.inputChannels()), "NDHWC; D, H, W = LIA (Left, Inferior, Anterior)", meaning));
    }

    /** The card's entries for the signature's outputs; {@code meaning} says what the logits' classes are. */
    public static List<ModelCard.TensorSpec> outputSpecs(TfjsModel model, String meaning) {
        long channels = model.outputChannels();
        return List.of(new ModelCard.TensorSpec(LOGITS, "float32", List.of(1L, -1L, -1L, -1L, channels),
                        "NDHWC, same grid as the input", meaning),
                new ModelCard.TensorSpec(PROBABILITIES, "float32", List.of(1L, -1L, -1L, -1L, channels),
                        "NDHWC, same grid as the input", "softmax of logits over the classes"));
    }

    /** The frozen graph: weights as constants, one chain of ops per layer. */
    public static GraphDef graph(TfjsModel model) {
        return new GraphWriter().write(model);
    }

    /** A one-line description of the network for the model card. */
    public static String architecture(TfjsModel model) {
        List<Conv3d> convs = model.convolutions();
        Conv3d last = convs.get(convs.size() - 1);
        List<Conv3d> hidden = convs.subList(0, convs.size() - 1);
        String dilations = hidden.stream().map(c -> String.valueOf(c.dilation()[0])).collect(Collectors.joining(
                ", "));
        String widths = hidden.stream().map(c -> String.valueOf(c.filters())).distinct().collect(
                Collectors.joining("/"));
        String activations = model.layers().stream().map(TfjsConverter::activationOf)
                .filter(a -> a != Activation.LINEAR).map(a -> a == Activation.GELU ? "GELU (exact erf form)"
                        : a.name()).distinct().collect(Collectors.joining(", "));
        long normalised = hidden.stream().filter(Conv3d::instanceNorm).count();
        return "MeshNet from TF.js layers-model '" + model.name() + "' (" + model.generatedBy() + "): "
                + hidden.size() + " Conv3D " + kernelText(hidden.get(0)) + ", stride 1, same padding, dilations ["
                + dilations + "], " + widths + " channels, activation " + activations
                + (normalised > 0 ? ", instance normalisation (eps 1e-5, no scale/shift) after the " + normalised
                        + " convolutions named *" + TfjsModel.INSTANCE_NORM_SUFFIX + " (inserted by the converter, "
                        + "as brainchop's runtime does)" : "")
                + "; then Conv3D " + kernelText(last) + " to " + last.filters() + " classes; " + model.parameterCount()
                + " parameters. Dilated convolutions run as SpaceToBatchND -> Conv3D (VALID) -> BatchToSpaceND.";
    }

    private static String kernelText(Conv3d conv) {
        int[] k = conv.kernel();
        return k[0] + "x" + k[1] + "x" + k[2];
    }

    private static Activation activationOf(Layer layer) {
        return layer instanceof ActivationLayer a ? a.activation() : ((Conv3d) layer).activation();
    }

    /** "model.json=…, model.bin=…": every JSON and weight file of the source folder, sorted by name. */
    private static String sourceChecksums(Path tfjsDir) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(tfjsDir)) {
            files = listing.filter(p -> p.getFileName().toString().equals(TfjsModelReader.MODEL_FILE)
                    || p.getFileName().toString().endsWith(".bin")).sorted().toList();
        }
        List<String> parts = new ArrayList<>();
        for (Path file : files) {
            parts.add(file.getFileName() + "=" + Sha256.of(file));
        }
        return String.join(", ", parts);
    }

    /** Builds one graph; remembers the shared helper nodes (scalars, dilation paddings) it has already made. */
    private static final class GraphWriter {
        private final TfGraphBuilder g = new TfGraphBuilder();
        private final Map<String, String> shared = new HashMap<>();
        private String input;

        GraphDef write(TfjsModel model) {
            // Batch 1: instance normalisation is built as batch normalisation, which would mix the items of a batch.
            input = g.placeholder(INPUT, 1, -1, -1, -1, model.inputChannels());
            String x = input;
            for (Layer layer : model.layers()) {
                if (layer instanceof Conv3d conv) {
                    x = convolution(conv, x);
                    if (conv.instanceNorm()) {
                        x = instanceNorm(conv.name() + "/instance_norm", conv.filters(), x);
                    }
                    x = activation(conv.name() + "/activation", conv.activation(), x);
                } else if (layer instanceof ActivationLayer activation) {
                    x = activation(activation.name(), activation.activation(), x);
                }
            }
            String logits = g.identity(LOGITS, x);
            g.softmax(PROBABILITIES, logits);
            return g.build();
        }

        private String convolution(Conv3d conv, String x) {
            int[] k = conv.kernel();
            String filter = g.constant(conv.name() + "/kernel", conv.weights(), k[0], k[1], k[2], conv.inChannels(),
                    conv.filters());
            String out;
            if (conv.dilated()) {
                String[] blocks = dilationBlocks(k, conv.dilation());
                String spread = g.spaceToBatchNd(conv.name() + "/space_to_batch", x, blocks[0], blocks[1]);
                String convolved = g.conv3d(conv.name() + "/conv", spread, filter, "VALID");
                out = g.batchToSpaceNd(conv.name() + "/batch_to_space", convolved, blocks[0], blocks[2]);
            } else {
                out = g.conv3dSame(conv.name() + "/conv", x, filter);
            }
            if (conv.bias() != null) {
                out = g.biasAdd(conv.name() + "/bias_add", out, g.constant(conv.name() + "/bias", conv.bias(),
                        conv.filters()));
            }
            return out;
        }

        /**
         * Block shape, paddings and crops for a dilated "same" convolution, as tf.nn.convolution builds them: pad
         * (k-1)·r split before/after, plus whatever makes each padded size a multiple of r (cropped again after).
         * Every layer keeps the input's spatial size, so the shapes come from the input placeholder and are shared
         * by all layers with the same kernel and rate.
         */
        private String[] dilationBlocks(int[] kernel, int[] rate) {
            String key = "dilation_" + join(rate) + "_kernel_" + join(kernel);
            String block = shared.get(key);
            if (block == null) {
                String spatial = shared.computeIfAbsent("spatial_shape",
                        n -> g.sliceInt(n, g.shapeOf("input_shape", input), 1, 3));
                int[] before = new int[3];
                int[] after = new int[3];
                int[] minusTotal = new int[3];
                for (int a = 0; a < 3; a++) {
                    int total = (kernel[a] - 1) * rate[a];
                    before[a] = total / 2;
                    after[a] = total - before[a];
                    minusTotal[a] = -total;
                }
                block = g.intVector(key + "/block_shape", rate);
                // extra = (-(size + total)) mod rate; floored modulo keeps it in 0..rate-1.
                String extra = g.floorModInt(key + "/extra", g.subInt(key + "/minus_padded",
                        g.intVector(key + "/minus_total", minusTotal), spatial), block);
                g.packInt(key + "/paddings", 1, g.intVector(key + "/before", before),
                        g.addInt(key + "/after", extra, g.intVector(key + "/after_base", after)));
                g.packInt(key + "/crops", 1, g.intVector(key + "/zeros", 0, 0, 0), extra);
                shared.put(key, block);
            }
            return new String[] {block, key + "/paddings", key + "/crops"};
        }

        /**
         * Per channel: (x - mean) / sqrt(variance + eps) over D, H, W, no learned scale or shift. Built as batch
         * normalisation in training mode, which with the signature's batch of one is exactly that, fused.
         */
        private String instanceNorm(String name, int channels, String x) {
            float[] ones = new float[channels];
            Arrays.fill(ones, 1f);
            String scale = shared.computeIfAbsent("ones/" + channels, n -> g.constant("constants/ones_" + channels,
                    ones, channels));
            String offset = shared.computeIfAbsent("zeros/" + channels, n -> g.constant("constants/zeros_"
                    + channels, new float[channels], channels));
            return g.fusedBatchNormTraining3d(name, x, scale, offset, TfjsModel.INSTANCE_NORM_EPSILON);
        }

        private String activation(String name, Activation activation, String x) {
            return switch (activation) {
                case LINEAR -> x;
                case RELU -> g.relu(name, x);
                case ELU -> g.elu(name, x);
                // Exact GELU: TF.js's "gelu" is 0.5·x·(1 + erf(x/√2)); its tanh approximation is "gelu_new".
                case GELU -> g.mul(name, g.mul(name + "/half_x", x, scalar(0.5f)),
                        g.addV2(name + "/one_plus_erf", g.erf(name + "/erf", g.mul(name + "/scaled", x,
                                scalar((float) (1 / Math.sqrt(2))))), scalar(1f)));
            };
        }

        private String scalar(float value) {
            return shared.computeIfAbsent("scalar/" + Float.floatToIntBits(value),
                    n -> g.scalar("constants/" + Float.toString(value).replace('-', 'm'), value));
        }

        private static String join(int[] values) {
            return Arrays.stream(values).mapToObj(String::valueOf).collect(Collectors.joining("x"));
        }
    }
}
