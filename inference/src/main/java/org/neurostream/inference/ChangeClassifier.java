package org.neurostream.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.nio.file.Path;
import org.neurostream.imaging.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The siamese change classifier served by DJL's TensorFlow engine: is the follow-up visit declining compared
 * with the baseline?
 *
 * <p>The model directory holds saved_model.pb (frozen graph), variables/ and model-card.json. Signature: inputs
 * "baseline" and "followup" [N, 48, 48, 48, 1] float32 NDHWC, output "probabilities" [N, 2], index 1 = declining.
 *
 * <p>Thread safety: the loaded model is shared; {@link #predict} opens a short-lived DJL predictor per call, so
 * concurrent callers are safe. Callers making many predictions can hold their own {@link #newPredictor()}
 * (one per thread). Close the classifier when done to free the native session.
 */
public final class ChangeClassifier implements AutoCloseable {
    public static final String INPUT_BASELINE = "baseline";
    public static final String INPUT_FOLLOWUP = "followup";
    public static final String OUTPUT_PROBABILITIES = "probabilities";
    public static final int DECLINING_INDEX = 1;
    private static final Logger LOG = LoggerFactory.getLogger(ChangeClassifier.class);

    private final ModelCard card;
    private final ModelInfo info;
    private final ChangeClassifierPreprocessing preprocessing;
    private final ZooModel<PreparedPair, float[]> model;

    private ChangeClassifier(ModelCard card, ModelInfo info, ZooModel<PreparedPair, float[]> model) {
        this.card = card;
        this.info = info;
        this.preprocessing = new ChangeClassifierPreprocessing(card.preprocessing());
        this.model = model;
    }

    /**
     * Loads the model in {@code modelDirectory}; fails if its card names a checksum that saved_model.pb does not
     * match.
     */
    public static ChangeClassifier load(Path modelDirectory) throws IOException {
        ModelCard card = ModelCard.read(modelDirectory);
        String sha256 = Sha256.of(modelDirectory.resolve("saved_model.pb"));
        if (card.savedModelSha256() != null && !card.savedModelSha256().equals(sha256)) {
            throw new IOException("saved_model.pb in " + modelDirectory + " has SHA-256 " + sha256
                    + " but its model card says " + card.savedModelSha256());
        }
        Device device = TensorFlowRuntime.device();
        int[] grid = new ChangeClassifierPreprocessing(card.preprocessing()).gridSize();
        Criteria<PreparedPair, float[]> criteria = Criteria.builder()
                .setTypes(PreparedPair.class, float[].class)
                .optModelPath(modelDirectory)
                .optEngine(TensorFlowRuntime.ENGINE_NAME) // PyTorch is DJL's default when both engines are present
                .optDevice(device)
                .optTranslator(new PairTranslator(new Shape(1, grid[2], grid[1], grid[0], 1)))
                .build();
        try {
            ModelInfo info = new ModelInfo(card.name(), card.version(), sha256,
                    TensorFlowRuntime.describeDevice(device));
            ChangeClassifier classifier = new ChangeClassifier(card, info, criteria.loadModel());
            LOG.info("model {} {} (sha256 {}) runs on {}", info.name(), info.version(), sha256.substring(0, 12),
                    info.device());
            return classifier;
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load the change classifier from " + modelDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    /** Probability that the follow-up shows decline compared with the baseline, with the model's identity. */
    public ChangePrediction predict(Volume baseline, Volume followUp) {
        return predictPrepared(new PreparedPair(preprocessing.prepareArray(baseline),
                preprocessing.prepareArray(followUp)));
    }

    /** As {@link #predict}, for inputs already through {@link #preprocessing()}. */
    public ChangePrediction predictPrepared(PreparedPair pair) {
        try (ChangePredictor predictor = newPredictor()) {
            return predictor.predict(pair);
        }
    }

    /** A predictor for one caller (not thread-safe itself); close it when done. */
    public ChangePredictor newPredictor() {
        return new ChangePredictor(model.newPredictor(), info);
    }

    public ModelInfo info() {
        return info;
    }

    public ModelCard card() {
        return card;
    }

    public ChangeClassifierPreprocessing preprocessing() {
        return preprocessing;
    }

    @Override
    public void close() {
        model.close();
    }

    /** One caller's predictor. */
    public static final class ChangePredictor implements AutoCloseable {
        private final Predictor<PreparedPair, float[]> predictor;
        private final ModelInfo info;

        private ChangePredictor(Predictor<PreparedPair, float[]> predictor, ModelInfo info) {
            this.predictor = predictor;
            this.info = info;
        }

        public ChangePrediction predict(PreparedPair pair) {
            try {
                return new ChangePrediction(predictor.predict(pair)[DECLINING_INDEX], info);
            } catch (TranslateException e) {
                throw new IllegalStateException("change classifier failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            predictor.close();
        }
    }

    /** Names the two inputs as the signature does and returns the [stable, declining] probabilities. */
    private record PairTranslator(Shape inputShape) implements NoBatchifyTranslator<PreparedPair, float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, PreparedPair pair) {
            if (pair.baseline().length != inputShape.size()) {
                throw new IllegalArgumentException("expected " + inputShape.size() + " voxels per visit, got "
                        + pair.baseline().length);
            }
            NDArray baseline = ctx.getNDManager().create(pair.baseline(), inputShape);
            baseline.setName(INPUT_BASELINE);
            NDArray followUp = ctx.getNDManager().create(pair.followUp(), inputShape);
            followUp.setName(INPUT_FOLLOWUP);
            return new NDList(baseline, followUp);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.get(OUTPUT_PROBABILITIES).toFloatArray();
        }
    }
}
