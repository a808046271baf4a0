package org.neurostream.inference.tfjs;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.nio.file.Path;
import org.neurostream.inference.TensorFlowRuntime;

/**
 * Runs a MeshNet SavedModel written by {@link TfjsConverter} (converted or fine-tuned) through DJL TensorFlow on one
 * [1, d, h, w, 1] input of any size, with no conforming: how parity checks compare the served graph with the
 * network it came from.
 */
public final class ServedModel {
    /** Both outputs, NDHWC flattened. */
    public record Outputs(float[] logits, float[] probabilities) {
    }

    private ServedModel() {
    }

    public static Outputs run(Path dir, float[] input, int d, int h, int w) throws Exception {
        TensorFlowRuntime.engine();
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(dir).optEngine(TensorFlowRuntime.ENGINE_NAME).optTranslator(new NoopTranslator())
                .build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager(Device.cpu(), TensorFlowRuntime.ENGINE_NAME)) {
            NDArray volume = manager.create(input, new Shape(1, d, h, w, 1));
            volume.setName(TfjsConverter.INPUT);
            NDList out = predictor.predict(new NDList(volume));
            return new Outputs(out.get(TfjsConverter.LOGITS).toFloatArray(),
                    out.get(TfjsConverter.PROBABILITIES).toFloatArray());
        }
    }

    public static double maxAbsDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
