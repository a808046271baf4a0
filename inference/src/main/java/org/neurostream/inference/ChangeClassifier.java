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
import java.util.List;
import org.neurostream.imaging.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change classifier served by DJL's TensorFlow engine: is the follow-up visit declining compared with the
 * baseline?
 *
 * <p>The model directory holds a SavedModel (saved_model.pb, variables/) and model-card.json (models/README.md).
 * The signature's tensors are found by the names the card gives, checked against what saved_model.pb declares:
 * the card's first input is the baseline (prior) visit, the second the follow-up, each [N, nz, ny, nx, 1] float32
 * NDHWC on the card's preprocessing grid; the card's first output is read, either [N, 2] probabilities over
 * [stable, declining] or [N, 1] P(decline) (a sigmoid). So our own export ("baseline", "followup" ->
 * "probabilities") and a Keras export (its Input layers' names -> "output_0") load the same way.
 *
 * <p>Thread safety: the loaded model is shared; {@link #predict} opens a short-lived DJL predictor per call, so
 * concurrent callers are safe. Callers making many predictions can hold their own {@link #newPredictor()}
 * (one per thread). Close the classifier when done to free the native session.
 */
public final class ChangeClassifier implements AutoCloseable {
    /** The keys of our own export (training's SavedModel); other models name theirs in their card. */
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
     * Loads the model in {@code modelDirectory}; fails if a SavedModel file does not match its card's checksum or
     * the card's inputs and output do not fit the SavedModel's signature.
     */
    public static ChangeClassifier load(Path modelDirectory) throws IOException {
        return load(ModelFolder.open(modelDirectory));
    }

    /** Loads an opened (checksum-verified) model folder. */
    public static ChangeClassifier load(ModelFolder folder) throws IOException {
        ModelCard card = folder.card();
        Path modelDirectory = folder.directory();
        if (card.preprocessing() == null) {
            throw new IOException("the model card in " + modelDirectory + " has no preprocessing section");
        }
        int[] grid = new ChangeClassifierPreprocessing(card.preprocessing()).gridSize();
        Shape inputShape = new Shape(1, grid[2], grid[1], grid[0], 1);
        Signature signature = Signature.of(card, inputShape, modelDirectory);
        folder.checkSignatureMatchesCard();
        Device device = TensorFlowRuntime.device();
        Criteria<PreparedPair, float[]> criteria = Criteria.builder()
                .setTypes(PreparedPair.class, float[].class)
                .optModelPath(modelDirectory)
                .optEngine(TensorFlowRuntime.ENGINE_NAME) // PyTorch is DJL's default when both engines are present
                .optOption("SignatureDefKey", card.servingSignature())
                .optDevice(device)
                .optTranslator(new PairTranslator(inputShape, signature))
                .build();
        try {
            ModelInfo info = folder.info(TensorFlowRuntime.describeDevice(device));
            ChangeClassifier classifier = new ChangeClassifier(card, info, criteria.loadModel());
            LOG.info("model {} {} (sha256 {}) runs on {}; inputs baseline '{}', follow-up '{}', output '{}' ({})",
                    info.name(), info.version(), info.sha256().substring(0, 12), info.device(), signature.baseline(),
                    signature.followUp(), signature.output(), signature.sigmoid() ? "P(decline)"
                            : "[stable, declining]");
            return classifier;
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load the change classifier from " + modelDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Which signature keys carry the baseline, the follow-up and the answer, and whether the answer is one
     * sigmoid P(decline) per pair or two softmax probabilities, from the card (checked against saved_model.pb by
     * {@link ModelFolder#checkSignatureMatchesCard()}).
     */
    record Signature(String baseline, String followUp, String output, boolean sigmoid) {
        static Signature of(ModelCard card, Shape inputShape, Path directory) throws IOException {
            String where = " in the model card in " + directory;
            if (card.inputs() == null || card.inputs().size() != 2) {
                throw new IOException("the change classifier takes two inputs, baseline then follow-up; found "
                        + (card.inputs() == null ? "none" : card.inputs().size()) + where);
            }
            for (ModelCard.TensorSpec input : card.inputs()) {
                List<Long> shape = input.shape();
                if (shape != null && (shape.size() != 5 || !fits(shape.get(1), inputShape.get(1))
                        || !fits(shape.get(2), inputShape.get(2)) || !fits(shape.get(3), inputShape.get(3))
                        || !fits(shape.get(4), 1))) {
                    throw new IOException("input '" + input.name() + "' has shape " + shape + " but the "
                            + "preprocessing grid " + card.preprocessing().gridSize() + " gives [N, "
                            + inputShape.get(1) + ", " + inputShape.get(2) + ", " + inputShape.get(3) + ", 1]"
                            + where);
                }
            }
            if (card.outputs() == null || card.outputs().isEmpty()) {
                throw new IOException("the change classifier needs an output" + where);
            }
            ModelCard.TensorSpec output = card.outputs().get(0);
            long classes = output.shape() == null || output.shape().isEmpty() ? -1
                    : output.shape().get(output.shape().size() - 1);
            if (classes != 1 && classes != 2) {
                throw new IOException("output '" + output.name() + "' must be [N, 2] (stable, declining) or [N, 1] "
                        + "(P(decline)); its shape is " + output.shape() + where);
            }
            return new Signature(card.inputs().get(0).name(), card.inputs().get(1).name(), output.name(),
                    classes == 1);
        }

        private static boolean fits(long declared, long actual) {
            return declared < 0 || declared == actual;
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

    /** Names the two inputs by the signature's keys and returns P(decline) from the output the card names. */
    private record PairTranslator(Shape inputShape, Signature signature)
            implements NoBatchifyTranslator<PreparedPair, float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, PreparedPair pair) {
            if (pair.baseline().length != inputShape.size()) {
                throw new IllegalArgumentException("expected " + inputShape.size() + " voxels per visit, got "
                        + pair.baseline().length);
            }
            // DJL feeds a named array to the signature input of that key, whatever the list's order.
            NDArray baseline = ctx.getNDManager().create(pair.baseline(), inputShape);
            baseline.setName(signature.baseline());
            NDArray followUp = ctx.getNDManager().create(pair.followUp(), inputShape);
            followUp.setName(signature.followUp());
            return new NDList(baseline, followUp);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            NDArray output = list.get(signature.output());
            if (output == null) {
                throw new IllegalStateException("the model returned no output '" + signature.output() + "'");
            }
            float[] values = output.toFloatArray();
            return signature.sigmoid() ? new float[] {1 - values[0], values[0]} : values;
        }
    }
}
