package org.neurostream.inference.tfjs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurostream.inference.tfjs.TfjsModel.Activation;
import org.neurostream.inference.tfjs.TfjsModel.ActivationLayer;
import org.neurostream.inference.tfjs.TfjsModel.Conv3d;
import org.neurostream.inference.tfjs.TfjsModel.Layer;

/**
 * Reads a TF.js "layers-model" folder: model.json (Keras topology + weightsManifest) and the weight shards it names.
 * Each manifest group's shards are concatenated and hold that group's weights back to back, little-endian float32.
 * Anything outside the MeshNet subset (branches, strides, quantised weights, other layer types) is rejected with a
 * message naming the file and the layer, rather than converted into something subtly different.
 */
public final class TfjsModelReader {
    public static final String MODEL_FILE = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TfjsModelReader() {
    }

    public static TfjsModel read(Path directory) throws IOException {
        Path file = directory.resolve(MODEL_FILE);
        if (!Files.isRegularFile(file)) {
            throw new TfjsFormatException(directory + " has no " + MODEL_FILE);
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new TfjsFormatException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        try {
            return parse(directory, root);
        } catch (IllegalArgumentException e) {
            throw new TfjsFormatException(file + ": " + e.getMessage(), e);
        }
    }

    private static TfjsModel parse(Path directory, JsonNode root) throws IOException {
        String format = root.path("format").asText("layers-model");
        if (!format.equals("layers-model")) {
            throw new IllegalArgumentException("format is '" + format + "', only 'layers-model' is supported");
        }
        JsonNode topology = require(root, "modelTopology");
        // Keras writes {keras_version, backend, model_config: {...}}; some exporters put the config at the top.
        JsonNode modelConfig = topology.has("model_config") ? topology.get("model_config") : topology;
        String className = modelConfig.path("class_name").asText();
        if (!className.equals("Functional") && !className.equals("Model")) {
            throw new IllegalArgumentException("model class '" + className + "' is not supported (need a Keras "
                    + "functional model)");
        }
        JsonNode config = require(modelConfig, "config");
        Map<String, float[]> weights = readWeights(directory, require(root, "weightsManifest"));
        Map<String, float[]> unused = new LinkedHashMap<>(weights);

        JsonNode layerNodes = require(config, "layers");
        if (!layerNodes.isArray() || layerNodes.size() < 2) {
            throw new IllegalArgumentException("modelTopology needs an input layer and at least one more layer");
        }
        JsonNode inputLayer = layerNodes.get(0);
        if (!inputLayer.path("class_name").asText().equals("InputLayer")) {
            throw new IllegalArgumentException("the first layer must be an InputLayer, found "
                    + inputLayer.path("class_name").asText());
        }
        JsonNode inputShape = require(require(inputLayer, "config"), "batch_input_shape");
        if (inputShape.size() != 5) {
            throw new IllegalArgumentException("the input must be [batch, D, H, W, channels], got " + inputShape);
        }
        int inputChannels = inputShape.get(4).asInt();
        String previous = inputLayer.path("name").asText();
        int channels = inputChannels;
        List<Layer> layers = new ArrayList<>();
        for (int n = 1; n < layerNodes.size(); n++) {
            JsonNode node = layerNodes.get(n);
            String name = node.path("name").asText();
            String inbound = singleInbound(node);
            if (!inbound.equals(previous)) {
                throw new IllegalArgumentException("layer " + name + " reads " + inbound + ", not the layer before it ("
                        + previous + "): only a single chain of layers is supported");
            }
            Layer layer = switch (node.path("class_name").asText()) {
                case "Conv3D" -> conv3d(name, require(node, "config"), channels, unused);
                case "Activation" -> new ActivationLayer(name, activation(name, require(node, "config")));
                default -> throw new IllegalArgumentException("layer " + name + " has unsupported class '"
                        + node.path("class_name").asText() + "' (supported: InputLayer, Conv3D, Activation)");
            };
            if (layer instanceof Conv3d conv) {
                channels = conv.filters();
            }
            layers.add(layer);
            previous = name;
        }
        String output = config.path("output_layers").path(0).path(0).asText(previous);
        if (!output.equals(previous)) {
            throw new IllegalArgumentException("the output layer is " + output + ", not the end of the chain "
                    + previous);
        }
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("weightsManifest has weights no layer uses: " + unused.keySet());
        }
        return new TfjsModel(config.path("name").asText("model"), root.path("generatedBy").asText(""),
                inputChannels, layers);
    }

    private static Conv3d conv3d(String name, JsonNode config, int inChannels, Map<String, float[]> weights) {
        int[] kernel = triple(name, config, "kernel_size");
        int[] strides = triple(name, config, "strides");
        int[] dilation = config.has("dilation_rate") ? triple(name, config, "dilation_rate") : new int[] {1, 1, 1};
        if (!Arrays.equals(strides, new int[] {1, 1, 1})) {
            throw new IllegalArgumentException("layer " + name + " has strides " + Arrays.toString(strides)
                    + ", only 1 is supported");
        }
        if (!config.path("padding").asText().equals("same")) {
            throw new IllegalArgumentException("layer " + name + " has padding '" + config.path("padding").asText()
                    + "', only 'same' is supported");
        }
        if (!config.path("data_format").asText("channels_last").equals("channels_last")) {
            throw new IllegalArgumentException("layer " + name + " is not channels_last");
        }
        for (int a = 0; a < 3; a++) {
            if (kernel[a] % 2 == 0 || dilation[a] < 1) {
                throw new IllegalArgumentException("layer " + name + ": need odd kernel sizes and dilation >= 1, got "
                        + Arrays.toString(kernel) + " / " + Arrays.toString(dilation));
            }
        }
        int filters = config.path("filters").asInt(-1);
        if (filters < 1) {
            throw new IllegalArgumentException("layer " + name + " has no positive 'filters'");
        }
        float[] kernelWeights = take(weights, name + "/kernel",
                (long) kernel[0] * kernel[1] * kernel[2] * inChannels * filters);
        float[] bias = config.path("use_bias").asBoolean(true) ? take(weights, name + "/bias", filters) : null;
        return new Conv3d(name, inChannels, filters, kernel, dilation, kernelWeights, bias,
                name.endsWith(TfjsModel.INSTANCE_NORM_SUFFIX), activation(name, config));
    }

    private static Activation activation(String layer, JsonNode config) {
        try {
            return Activation.of(config.path("activation").asText(null));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layer " + layer + ": " + e.getMessage(), e);
        }
    }

    private static float[] take(Map<String, float[]> weights, String name, long expected) {
        float[] values = weights.remove(name);
        if (values == null) {
            throw new IllegalArgumentException("weightsManifest has no weight " + name);
        }
        if (values.length != expected) {
            throw new IllegalArgumentException("weight " + name + " has " + values.length + " values, the layer needs "
                    + expected);
        }
        return values;
    }

    /** Every weight by name, in manifest order. */
    private static Map<String, float[]> readWeights(Path directory, JsonNode manifest) throws IOException {
        if (!manifest.isArray()) {
            throw new IllegalArgumentException("weightsManifest must be an array of groups");
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (JsonNode group : manifest) {
            ByteBuffer bytes = ByteBuffer.wrap(concatenateShards(directory, require(group, "paths")))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode entry : require(group, "weights")) {
                String name = require(entry, "name").asText();
                if (entry.has("quantization")) {
                    throw new IllegalArgumentException("weight " + name + " is quantised; only float32 is supported");
                }
                if (!entry.path("dtype").asText("float32").equals("float32")) {
                    throw new IllegalArgumentException("weight " + name + " has dtype "
                            + entry.path("dtype").asText() + "; only float32 is supported");
                }
                long count = 1;
                for (JsonNode dim : require(entry, "shape")) {
                    count *= dim.asLong();
                }
                if (count * Float.BYTES > bytes.remaining()) {
                    throw new IllegalArgumentException("the weight files end inside weight " + name + " (needs "
                            + count * Float.BYTES + " bytes, " + bytes.remaining() + " left)");
                }
                float[] values = new float[(int) count];
                bytes.asFloatBuffer().get(values);
                bytes.position(bytes.position() + values.length * Float.BYTES);
                if (weights.put(name, values) != null) {
                    throw new IllegalArgumentException("weight " + name + " appears twice in weightsManifest");
                }
            }
            if (bytes.hasRemaining()) {
                throw new IllegalArgumentException("the weight files " + group.get("paths") + " hold "
                        + bytes.remaining() + " bytes more than weightsManifest describes");
            }
        }
        return weights;
    }

    private static byte[] concatenateShards(Path directory, JsonNode paths) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (JsonNode path : paths) {
            Path shard = directory.resolve(path.asText()).normalize();
            if (!shard.startsWith(directory.normalize())) {
                throw new IllegalArgumentException("weight path " + path.asText() + " leaves the model folder");
            }
            if (!Files.isRegularFile(shard)) {
                throw new TfjsFormatException("weight file " + shard + " named in weightsManifest is missing");
            }
            all.write(Files.readAllBytes(shard));
        }
        return all.toByteArray();
    }

    private static String singleInbound(JsonNode layer) {
        JsonNode inbound = layer.path("inbound_nodes");
        // Keras 2 form: [[["previous", 0, 0, {}]]] — one call, one input.
        if (inbound.size() != 1 || inbound.get(0).size() != 1) {
            throw new IllegalArgumentException("layer " + layer.path("name").asText()
                    + " must have exactly one inbound layer, has " + inbound);
        }
        return inbound.get(0).get(0).get(0).asText();
    }

    private static int[] triple(String layer, JsonNode config, String key) {
        JsonNode values = config.path(key);
        if (!values.isArray() || values.size() != 3) {
            throw new IllegalArgumentException("layer " + layer + ": " + key + " must hold 3 integers, got " + values);
        }
        return new int[] {values.get(0).asInt(), values.get(1).asInt(), values.get(2).asInt()};
    }

    private static JsonNode require(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing '" + key + "'");
        }
        return value;
    }
}
