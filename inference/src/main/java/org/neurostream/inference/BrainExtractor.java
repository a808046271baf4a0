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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.neurostream.imaging.Volume;
import org.neurostream.inference.tfjs.TfjsConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skull stripping with the converted brainchop "mindgrab" MeshNet (models/brain-extraction-mindgrab), served by
 * DJL's TensorFlow engine.
 *
 * <p>{@link #extract} takes a volume in any orientation, conforms it as the model card says
 * ({@link ConformedVolume}: LPS, 256^3 at 1 mm, min-max 0..1, LIA tensor order), runs the model, keeps voxels whose
 * brain-class probability exceeds 0.5 and maps the mask back onto the input's own grid (nearest neighbour through
 * patient coordinates).
 *
 * <p>Thread safety: safe for concurrent callers. Each call opens its own DJL predictor, and the forward passes are
 * taken one at a time: one 256^3 pass already uses every core and several GB of native memory, so running two at
 * once would only add memory. Preparation and mapping back run concurrently.
 */
public final class BrainExtractor implements AutoCloseable {
    public static final int BRAIN_CLASS = 1;
    public static final double THRESHOLD = 0.5;
    private static final Logger LOG = LoggerFactory.getLogger(BrainExtractor.class);

    private final ModelCard card;
    private final ModelInfo info;
    private final ZooModel<ConformedVolume, float[]> model;
    private final ReentrantLock forwardLock = new ReentrantLock(true);

    private BrainExtractor(ModelCard card, ModelInfo info, ZooModel<ConformedVolume, float[]> model) {
        this.card = card;
        this.info = info;
        this.model = model;
    }

    /** Loads the model in {@code modelDirectory}; fails if saved_model.pb does not match its card's checksum. */
    public static BrainExtractor load(Path modelDirectory) throws IOException {
        ModelCard card = ModelCard.read(modelDirectory);
        String sha256 = Sha256.of(modelDirectory.resolve("saved_model.pb"));
        if (card.savedModelSha256() != null && !card.savedModelSha256().equals(sha256)) {
            throw new IOException("saved_model.pb in " + modelDirectory + " has SHA-256 " + sha256
                    + " but its model card says " + card.savedModelSha256());
        }
        if (card.preprocessing() == null) {
            throw new IOException("the model card in " + modelDirectory + " has no preprocessing section");
        }
        Device device = TensorFlowRuntime.device();
        requireOneDnnOnCpu(device, card.preprocessing(), System.getenv());
        Criteria<ConformedVolume, float[]> criteria = Criteria.builder()
                .setTypes(ConformedVolume.class, float[].class)
                .optModelPath(modelDirectory)
                .optEngine(TensorFlowRuntime.ENGINE_NAME) // PyTorch is DJL's default when both engines are present
                .optDevice(device)
                .optTranslator(new BrainTranslator())
                .build();
        try {
            ModelInfo info = new ModelInfo(card.name(), card.version(), sha256,
                    TensorFlowRuntime.describeDevice(device));
            BrainExtractor extractor = new BrainExtractor(card, info, criteria.loadModel());
            LOG.info("model {} {} (sha256 {}) runs on {}", info.name(), info.version(), sha256.substring(0, 12),
                    info.device());
            return extractor;
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load the brain extraction model from " + modelDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Without oneDNN, TensorFlow 2.16's own CPU Conv3D kernel aborts the whole process (std::bad_alloc, not an
     * exception Java can catch) on a 256^3 mindgrab forward pass, measured with 15 GB free; 128^3 ran, in ~97 s
     * against seconds with oneDNN. So a CPU run on a large grid with oneDNN switched off is refused up front.
     */
    static void requireOneDnnOnCpu(Device device, ModelCard.Preprocessing preprocessing,
            Map<String, String> environment) throws IOException {
        boolean large = preprocessing.gridSize().stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b)
                > 128L * 128 * 128;
        if (!device.isGpu() && large && "0".equals(environment.get("TF_ENABLE_ONEDNN_OPTS"))) {
            throw new IOException("brain extraction on CPU needs oneDNN: TF_ENABLE_ONEDNN_OPTS=0 makes TensorFlow's "
                    + "Conv3D abort the process on a " + preprocessing.gridSize() + " grid; set "
                    + "TF_ENABLE_ONEDNN_OPTS=1 (scripts/runtime-env.sh does)");
        }
    }

    /** The brain mask of {@code volume} on its own grid, with the brain volume and timings. */
    public BrainExtraction extract(Volume volume) {
        long start = System.nanoTime();
        ConformedVolume conformed = ConformedVolume.of(volume, card.preprocessing());
        float[] probability;
        long forwardStart;
        long forwardEnd;
        try (Predictor<ConformedVolume, float[]> predictor = model.newPredictor()) {
            forwardLock.lock();
            try {
                forwardStart = System.nanoTime();
                probability = predictor.predict(conformed);
                forwardEnd = System.nanoTime();
            } finally {
                forwardLock.unlock();
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("brain extraction model failed: " + e.getMessage(), e);
        }
        float[] brain = new float[probability.length];
        for (int n = 0; n < brain.length; n++) {
            brain[n] = probability[n] > THRESHOLD ? 1f : 0f;
        }
        Volume mask = ConformedVolume.nearestOnto(conformed.fromTensor(brain), volume);
        double[] spacing = volume.spacing();
        long voxels = 0;
        for (float v : mask.data()) {
            voxels += v > 0 ? 1 : 0;
        }
        double millilitres = voxels * spacing[0] * spacing[1] * spacing[2] / 1000.0;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Duration inference = Duration.ofNanos(forwardEnd - forwardStart);
        LOG.info("brain extraction: {} mL in {} ms (model {} ms)", Math.round(millilitres), elapsed.toMillis(),
                inference.toMillis());
        return new BrainExtraction(mask, millilitres, elapsed, inference, info);
    }

    public ModelInfo info() {
        return info;
    }

    public ModelCard card() {
        return card;
    }

    @Override
    public void close() {
        model.close();
    }

    /** Feeds the LIA tensor as "volume" [1, n, n, n, 1]; returns the brain-class probability per tensor voxel. */
    private static final class BrainTranslator implements NoBatchifyTranslator<ConformedVolume, float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, ConformedVolume input) {
            Volume grid = input.grid();
            NDArray volume = ctx.getNDManager().create(input.tensor(), new Shape(1, grid.nx(), grid.ny(), grid.nz(),
                    1));
            volume.setName(TfjsConverter.INPUT);
            return new NDList(volume);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            NDArray probabilities = list.get(TfjsConverter.PROBABILITIES);
            int classes = (int) probabilities.getShape().get(probabilities.getShape().dimension() - 1);
            float[] all = probabilities.toFloatArray();
            float[] brain = new float[all.length / classes];
            for (int n = 0; n < brain.length; n++) {
                brain[n] = all[n * classes + BRAIN_CLASS];
            }
            return brain;
        }
    }
}
