package org.neurostream.inference.tfjs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Writes small TF.js layers-model folders shaped like brainchop's, with random weights, for tests. */
final class TinyTfjsModel {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One Conv3D followed by a separate Activation layer ("linear" = none). */
    record Conv(String name, int filters, int kernel, int dilation, boolean bias, String activation) {
    }

    private TinyTfjsModel() {
    }

    /** Writes model.json and weights.bin into {@code dir}; returns model.json's tree for tests to corrupt. */
    static ObjectNode write(Path dir, long seed, List<Conv> convs) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "layers-model");
        root.put("generatedBy", "NeuroStream test");
        ObjectNode modelConfig = root.putObject("modelTopology").putObject("model_config");
        modelConfig.put("class_name", "Functional");
        ObjectNode config = modelConfig.putObject("config");
        config.put("name", "tiny");
        ArrayNode layers = config.putArray("layers");
        ObjectNode input = layers.addObject();
        input.put("class_name", "InputLayer");
        input.put("name", "input");
        ArrayNode shape = input.putObject("config").putArray("batch_input_shape");
        shape.addNull();
        shape.add(16).add(16).add(16).add(1);
        input.putArray("inbound_nodes");

        ArrayNode weights = JSON.createArrayNode();
        List<float[]> values = new ArrayList<>();
        String previous = "input";
        int channels = 1;
        for (Conv conv : convs) {
            ObjectNode layer = layers.addObject();
            layer.put("class_name", "Conv3D");
            layer.put("name", conv.name());
            ObjectNode c = layer.putObject("config");
            c.put("filters", conv.filters());
            c.putArray("kernel_size").add(conv.kernel()).add(conv.kernel()).add(conv.kernel());
            c.putArray("strides").add(1).add(1).add(1);
            c.putArray("dilation_rate").add(conv.dilation()).add(conv.dilation()).add(conv.dilation());
            c.put("padding", "same");
            c.put("data_format", "channels_last");
            c.put("activation", "linear");
            c.put("use_bias", conv.bias());
            inbound(layer, previous);
            int count = conv.kernel() * conv.kernel() * conv.kernel() * channels * conv.filters();
            weights.add(weight(conv.name() + "/kernel", conv.kernel(), conv.kernel(), conv.kernel(), channels,
                    conv.filters()));
            values.add(randoms(random, count, 1.0 / Math.sqrt(count / (double) conv.filters())));
            if (conv.bias()) {
                weights.add(weight(conv.name() + "/bias", conv.filters()));
                values.add(randoms(random, conv.filters(), 0.1));
            }
            previous = conv.name();
            channels = conv.filters();
            if (!conv.activation().equals("linear")) {
                ObjectNode activation = layers.addObject();
                activation.put("class_name", "Activation");
                activation.put("name", conv.name() + "_act");
                activation.putObject("config").put("activation", conv.activation());
                inbound(activation, previous);
                previous = conv.name() + "_act";
            }
        }
        ArrayNode output = config.putArray("output_layers").addArray();
        output.add(previous).add(0).add(0);
        ObjectNode group = root.putArray("weightsManifest").addObject();
        group.putArray("paths").add("weights.bin");
        group.set("weights", weights);

        int total = values.stream().mapToInt(v -> v.length).sum();
        ByteBuffer bytes = ByteBuffer.allocate(total * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] v : values) {
            for (float f : v) {
                bytes.putFloat(f);
            }
        }
        Files.write(dir.resolve("weights.bin"), bytes.array());
        writeJson(dir, root);
        return root;
    }

    static void writeJson(Path dir, ObjectNode root) throws IOException {
        JSON.writeValue(dir.resolve("model.json").toFile(), root);
    }

    private static void inbound(ObjectNode layer, String previous) {
        ArrayNode call = layer.putArray("inbound_nodes").addArray().addArray();
        call.add(previous).add(0).add(0).addObject();
    }

    private static ObjectNode weight(String name, int... shape) {
        ObjectNode weight = JSON.createObjectNode();
        weight.put("name", name);
        ArrayNode dims = weight.putArray("shape");
        for (int d : shape) {
            dims.add(d);
        }
        weight.put("dtype", "float32");
        return weight;
    }

    private static float[] randoms(Random random, int count, double scale) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }
}
