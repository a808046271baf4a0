package org.neurostream.inference.graph;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Writes a frozen TensorFlow SavedModel: {@code saved_model.pb} holding the graph (weights as Const nodes) under
 * the tag "serve" with a "serving_default" signature, and an empty {@code variables/} directory.
 */
public final class SavedModelWriter {
    public static final String SERVE_TAG = "serve";
    public static final String SIGNATURE_KEY = "serving_default";
    public static final String SAVED_MODEL_FILE = "saved_model.pb";
    private static final String PREDICT_METHOD = "tensorflow/serving/predict";
    /** The TensorFlow version the graph was written for (DJL 0.35.1 runs TF 2.16.1). */
    private static final String TENSORFLOW_VERSION = "2.16.1";

    /** One float32 tensor of the signature: its public key, the node producing it, its shape (-1 = any). */
    public record SignatureTensor(String key, String node, long... shape) {
    }

    private SavedModelWriter() {
    }

    /** Writes the model into {@code directory} (created if needed) and returns the path of saved_model.pb. */
    public static Path write(Path directory, GraphDef graph, List<SignatureTensor> inputs,
            List<SignatureTensor> outputs) throws IOException {
        SignatureDef.Builder signature = SignatureDef.newBuilder().setMethodName(PREDICT_METHOD);
        inputs.forEach(t -> signature.putInputs(t.key(), tensorInfo(t)));
        outputs.forEach(t -> signature.putOutputs(t.key(), tensorInfo(t)));

        MetaGraphDef metaGraph = MetaGraphDef.newBuilder()
                .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder()
                        .addTags(SERVE_TAG).setTensorflowVersion(TENSORFLOW_VERSION))
                .setGraphDef(graph)
                .putSignatureDef(SIGNATURE_KEY, signature.build())
                .build();
        SavedModel savedModel = SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(metaGraph).build();

        Files.createDirectories(directory.resolve("variables"));
        Path file = directory.resolve(SAVED_MODEL_FILE);
        try (OutputStream out = Files.newOutputStream(file)) {
            savedModel.writeTo(out);
        }
        return file;
    }

    private static TensorInfo tensorInfo(SignatureTensor tensor) {
        return TensorInfo.newBuilder().setName(tensor.node() + ":0").setDtype(DataType.DT_FLOAT)
                .setTensorShape(TfGraphBuilder.shapeProto(tensor.shape())).build();
    }
}
