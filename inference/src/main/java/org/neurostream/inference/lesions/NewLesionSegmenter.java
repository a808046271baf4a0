package org.neurostream.inference.lesions;

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
import org.neurostream.inference.ModelCard;
import org.neurostream.inference.ModelFolder;
import org.neurostream.inference.ModelInfo;
import org.neurostream.inference.PreparedPair;
import org.neurostream.inference.TensorFlowRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The new-lesion segmenter (models/new-lesion-segmenter) served by DJL's TensorFlow engine: sliding-window
 * inference over the follow-up's head with overlapping windows, each voxel's probability the mean over the windows
 * that cover it (a window's edge sees less context than its middle; averaging evens that out).
 *
 * <p>The card's first input is the baseline FLAIR on the follow-up's grid, the second the follow-up FLAIR, each
 * [N, W, W, W, 1] NDHWC after {@link NewLesionInputs}; its first output is [N, W, W, W, 1] P(new lesion). The window
 * W is the card's input size; windows overlap by a quarter of it.
 */
public final class NewLesionSegmenter implements AutoCloseable {
    public static final String INPUT_BASELINE = "baseline_flair";
    public static final String INPUT_FOLLOWUP = "followup_flair";
    public static final String OUTPUT = "new_lesion_probability";
    /** Probability at or above which a voxel is a new lesion. */
    public static final double THRESHOLD = 0.5;
    /**
     * Smaller components are dropped: 10 mm^3, a sphere 2.7 mm across, below what a radiologist would call a new
     * lesion at 1 mm and the size that registration residue at tissue edges reaches.
     */
    public static final double MIN_LESION_VOLUME_ML = 0.01;
    /** Normalised follow-up intensity above which a voxel is head (windows cover only the head's bounding box). */
    static final double HEAD_LEVEL = 0.3;
    private static final Logger LOG = LoggerFactory.getLogger(NewLesionSegmenter.class);

    private final ZooModel<PreparedPair, float[]> model;
    private final ModelCard card;
    private final ModelInfo info;
    private final int window;

    private NewLesionSegmenter(ZooModel<PreparedPair, float[]> model, ModelCard card, ModelInfo info, int window) {
        this.model = model;
        this.card = card;
        this.info = info;
        this.window = window;
    }

    public static NewLesionSegmenter load(Path modelDirectory) throws IOException {
        return load(ModelFolder.open(modelDirectory));
    }

    /** Loads a checksum-verified model folder; fails if the card's tensors are not what this class feeds. */
    public static NewLesionSegmenter load(ModelFolder folder) throws IOException {
        ModelCard card = folder.card();
        Path directory = folder.directory();
        if (card.inputs() == null || card.inputs().size() != 2 || card.outputs() == null
                || card.outputs().isEmpty()) {
            throw new IOException("the new-lesion segmenter takes two inputs (baseline, follow-up FLAIR) and gives "
                    + "one output; the card in " + directory + " says otherwise");
        }
        List<Long> shape = card.inputs().get(0).shape();
        if (shape == null || shape.size() != 5 || shape.get(1) <= 0 || !shape.get(1).equals(shape.get(2))
                || !shape.get(1).equals(shape.get(3)) || shape.get(4) != 1) {
            throw new IOException("input '" + card.inputs().get(0).name() + "' must be [N, W, W, W, 1] with a fixed "
                    + "window W; the card in " + directory + " gives " + shape);
        }
        folder.checkSignatureMatchesCard();
        int window = shape.get(1).intValue();
        Criteria<PreparedPair, float[]> criteria = Criteria.builder()
                .setTypes(PreparedPair.class, float[].class)
                .optModelPath(directory)
                .optEngine(TensorFlowRuntime.ENGINE_NAME)
                .optOption("SignatureDefKey", card.servingSignature())
                .optDevice(TensorFlowRuntime.device())
                .optTranslator(new WindowTranslator(new Shape(1, window, window, window, 1),
                        card.inputs().get(0).name(), card.inputs().get(1).name(), card.outputs().get(0).name()))
                .build();
        try {
            ModelInfo info = folder.info(TensorFlowRuntime.describeDevice(TensorFlowRuntime.device()));
            LOG.info("model {} {} (sha256 {}) runs on {}; window {}^3", info.name(), info.version(),
                    info.sha256().substring(0, 12), info.device(), window);
            return new NewLesionSegmenter(criteria.loadModel(), card, info, window);
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load the new-lesion segmenter from " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The new lesions of {@code followUp}, with {@code baselineOnFollowUp} from {@link NewLesionInputs}. */
    public NewLesionMap detect(Volume baselineOnFollowUp, Volume followUp) {
        return NewLesionMap.of(probabilities(baselineOnFollowUp, followUp), THRESHOLD, MIN_LESION_VOLUME_ML);
    }

    /** P(new lesion) per voxel of the follow-up's grid (0 outside the head's bounding box). */
    public Volume probabilities(Volume baselineOnFollowUp, Volume followUp) {
        if (baselineOnFollowUp.nx() != followUp.nx() || baselineOnFollowUp.ny() != followUp.ny()
                || baselineOnFollowUp.nz() != followUp.nz()) {
            throw new IllegalArgumentException("the baseline must be on the follow-up's grid");
        }
        long start = System.nanoTime();
        float[] baseline = NewLesionInputs.normalised(baselineOnFollowUp);
        float[] current = NewLesionInputs.normalised(followUp);
        int[] dims = {followUp.nx(), followUp.ny(), followUp.nz()};
        int[][] box = headBox(current, dims);
        float[] sum = new float[current.length];
        byte[] covered = new byte[current.length];
        int windows = 0;
        try (Predictor<PreparedPair, float[]> predictor = model.newPredictor()) {
            for (int z : starts(box[0][2], box[1][2], window)) {
                for (int y : starts(box[0][1], box[1][1], window)) {
                    for (int x : starts(box[0][0], box[1][0], window)) {
                        int[] origin = {x, y, z};
                        float[] p = predictor.predict(new PreparedPair(cut(baseline, dims, origin),
                                cut(current, dims, origin)));
                        add(p, dims, origin, sum, covered);
                        windows++;
                    }
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("new-lesion segmenter failed: " + e.getMessage(), e);
        }
        for (int n = 0; n < sum.length; n++) {
            if (covered[n] > 0) {
                sum[n] /= covered[n];
            }
        }
        LOG.info("new-lesion segmenter: {} windows of {}^3 in {} ms", windows, window,
                (System.nanoTime() - start) / 1_000_000);
        return followUp.withData(sum);
    }

    /** Inclusive-exclusive bounds [lo, hi) of the voxels above {@link #HEAD_LEVEL}. */
    static int[][] headBox(float[] image, int[] dims) {
        int[] lo = {dims[0], dims[1], dims[2]};
        int[] hi = {0, 0, 0};
        for (int k = 0, n = 0; k < dims[2]; k++) {
            for (int j = 0; j < dims[1]; j++) {
                for (int i = 0; i < dims[0]; i++, n++) {
                    if (image[n] > HEAD_LEVEL) {
                        lo[0] = Math.min(lo[0], i);
                        lo[1] = Math.min(lo[1], j);
                        lo[2] = Math.min(lo[2], k);
                        hi[0] = Math.max(hi[0], i + 1);
                        hi[1] = Math.max(hi[1], j + 1);
                        hi[2] = Math.max(hi[2], k + 1);
                    }
                }
            }
        }
        if (hi[0] == 0) {
            throw new IllegalArgumentException("the follow-up FLAIR shows no head");
        }
        return new int[][] {lo, hi};
    }

    /** Window origins covering [lo, hi) with a stride of three quarters of the window; the last one ends at hi. */
    static int[] starts(int lo, int hi, int window) {
        int stride = Math.max(1, window * 3 / 4);
        int span = hi - lo;
        if (span <= window) {
            return new int[] {lo - (window - span) / 2};
        }
        int count = (span - window + stride - 1) / stride + 1;
        int[] starts = new int[count];
        for (int s = 0; s < count; s++) {
            starts[s] = Math.min(lo + s * stride, hi - window);
        }
        return starts;
    }

    /** The window at {@code origin}, zero outside the volume. */
    private float[] cut(float[] image, int[] dims, int[] origin) {
        float[] out = new float[window * window * window];
        for (int k = 0; k < window; k++) {
            int z = origin[2] + k;
            if (z < 0 || z >= dims[2]) {
                continue;
            }
            for (int j = 0; j < window; j++) {
                int y = origin[1] + j;
                if (y < 0 || y >= dims[1]) {
                    continue;
                }
                int from = Math.max(0, -origin[0]);
                int to = Math.min(window, dims[0] - origin[0]);
                if (to > from) {
                    System.arraycopy(image, (z * dims[1] + y) * dims[0] + origin[0] + from, out,
                            (k * window + j) * window + from, to - from);
                }
            }
        }
        return out;
    }

    private void add(float[] p, int[] dims, int[] origin, float[] sum, byte[] covered) {
        for (int k = 0; k < window; k++) {
            int z = origin[2] + k;
            for (int j = 0; j < window; j++) {
                int y = origin[1] + j;
                for (int i = 0; i < window; i++) {
                    int x = origin[0] + i;
                    if (x < 0 || y < 0 || z < 0 || x >= dims[0] || y >= dims[1] || z >= dims[2]) {
                        continue;
                    }
                    int n = (z * dims[1] + y) * dims[0] + x;
                    sum[n] += p[(k * window + j) * window + i];
                    covered[n]++;
                }
            }
        }
    }

    public ModelInfo info() {
        return info;
    }

    public ModelCard card() {
        return card;
    }

    public int window() {
        return window;
    }

    @Override
    public void close() {
        model.close();
    }

    /** Feeds one window pair by the signature's keys and returns the card's output as a flat array. */
    private record WindowTranslator(Shape shape, String baselineKey, String followUpKey, String outputKey)
            implements NoBatchifyTranslator<PreparedPair, float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, PreparedPair pair) {
            NDArray baseline = ctx.getNDManager().create(pair.baseline(), shape);
            baseline.setName(baselineKey);
            NDArray followUp = ctx.getNDManager().create(pair.followUp(), shape);
            followUp.setName(followUpKey);
            return new NDList(baseline, followUp);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            NDArray output = list.get(outputKey);
            if (output == null) {
                throw new IllegalStateException("the model returned no output '" + outputKey + "'");
            }
            return output.toFloatArray();
        }
    }
}
