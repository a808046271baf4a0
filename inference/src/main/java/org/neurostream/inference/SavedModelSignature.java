package org.neurostream.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The serving signature of a SavedModel as saved_model.pb declares it: which tensors go in and come out under which
 * keys. Serving feeds tensors by these keys (DJL matches an input NDArray's name against them and names each output
 * by its key), so reading them here, rather than assuming our own exporter's names, is what lets a Keras export
 * ({@code model.export()}, {@code tf.saved_model.save}) plug in: its keys are the Keras Input layers' names and
 * {@code output_0} (Keras 3) or the last layer's name (tf.keras).
 */
public record SavedModelSignature(String tag, String key, Map<String, Tensor> inputs, Map<String, Tensor> outputs) {
    public static final String SERVE_TAG = "serve";

    /** One tensor of the signature: its dtype (e.g. DT_FLOAT) and shape (-1 = any size; null = unknown rank). */
    public record Tensor(String key, String dtype, long[] shape) {
        public boolean isFloat32() {
            return DataType.DT_FLOAT.name().equals(dtype);
        }

        /** Whether {@code expected} (-1 = any) and this shape can describe the same tensor. */
        public boolean compatibleWith(List<Long> expected) {
            if (shape == null || expected == null) {
                return true;
            }
            if (shape.length != expected.size()) {
                return false;
            }
            for (int d = 0; d < shape.length; d++) {
                long e = expected.get(d);
                if (shape[d] >= 0 && e >= 0 && shape[d] != e) {
                    return false;
                }
            }
            return true;
        }

        public String shapeText() {
            if (shape == null) {
                return "(unknown rank)";
            }
            List<Long> dims = new ArrayList<>();
            for (long d : shape) {
                dims.add(d);
            }
            return dims.toString();
        }
    }

    /**
     * Reads the signature {@code key} of the MetaGraph tagged "serve" in {@code directory}/saved_model.pb; fails
     * naming what the file does hold when either is missing.
     */
    public static SavedModelSignature read(Path directory, String key) throws IOException {
        Path file = directory.resolve("saved_model.pb");
        SavedModel savedModel;
        try (InputStream in = Files.newInputStream(file)) {
            savedModel = SavedModel.parseFrom(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(file + " is not a TensorFlow SavedModel: " + e.getMessage(), e);
        }
        List<List<String>> tagSets = new ArrayList<>();
        for (MetaGraphDef metaGraph : savedModel.getMetaGraphsList()) {
            List<String> tags = metaGraph.getMetaInfoDef().getTagsList();
            tagSets.add(tags);
            if (!tags.contains(SERVE_TAG)) {
                continue;
            }
            SignatureDef signature = metaGraph.getSignatureDefMap().get(key);
            if (signature == null) {
                throw new IOException(file + " has no signature '" + key + "' (it has "
                        + new TreeMap<>(metaGraph.getSignatureDefMap()).keySet()
                        + "); name the one to serve as signatureKey in " + ModelCard.FILE_NAME);
            }
            return new SavedModelSignature(SERVE_TAG, key, tensors(signature.getInputsMap()),
                    tensors(signature.getOutputsMap()));
        }
        throw new IOException(file + " has no MetaGraph tagged '" + SERVE_TAG + "' (tag sets: " + tagSets
                + "); export the model for serving (Keras: model.export(), or tf.saved_model.save)");
    }

    private static Map<String, Tensor> tensors(Map<String, TensorInfo> infos) {
        Map<String, Tensor> out = new TreeMap<>();
        infos.forEach((name, info) -> {
            TensorShapeProto shape = info.getTensorShape();
            long[] dims = shape.getUnknownRank() ? null
                    : shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
            out.put(name, new Tensor(name, info.getDtype().name(), dims));
        });
        return out;
    }

    /** "key float32 [-1, 48, 48, 48, 1]" for every input, for error messages. */
    public String describeInputs() {
        return describe(inputs);
    }

    public String describeOutputs() {
        return describe(outputs);
    }

    private static String describe(Map<String, Tensor> tensors) {
        List<String> parts = new ArrayList<>();
        tensors.values().forEach(t -> parts.add("'" + t.key() + "' " + t.dtype() + " " + t.shapeText()));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
