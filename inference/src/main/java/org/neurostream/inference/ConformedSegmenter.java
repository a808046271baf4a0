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
 * A per-voxel classifier on a conformed grid (the converted brainchop MeshNets: brain extraction, tissue
 * segmentation), served by DJL's TensorFlow engine. It conforms the input as the model card says
 * ({@link ConformedVolume}), runs the model and hands back the class probabilities on the conformed grid; what the
 * classes mean is the caller's business ({@link BrainExtractor}, {@link TissueSegmenter}).
 *
 * <p>Thread safety: safe for concurrent callers. Each call opens its own DJL predictor and the forward passes are
 * taken one at a time: one 256^3 pass already uses every core and GBs of native memory, so two at once would only
 * add memory. Conforming runs concurrently.
 */
public final class ConformedSegmenter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConformedSegmenter.class);

    private final ModelCard card;
    private final ModelInfo info;
    private final ZooModel<ConformedVolume, float[]> model;
    private final ReentrantLock forwardLock = new ReentrantLock(true);

    private ConformedSegmenter(ModelCard card, ModelInfo info, ZooModel<ConformedVolume, float[]> model) {
        this.card = card;
        this.info = info;
        this.model = model;
    }

    /**
     * Class probabilities on the conformed grid: {@code probabilities[voxel * classes + c]}, voxels in the LPS order
     * of {@code conformed.grid()}.
     */
    public record Output(ConformedVolume conformed, float[] probabilities, int classes, Duration inference) {
        /** One class's probability as a volume on the conformed grid. */
        public Volume probability(int c) {
            float[] out = new float[probabilities.length / classes];
            for (int n = 0; n < out.length; n++) {
                out[n] = probabilities[n * classes + c];
            }
            return conformed.grid().withData(out);
        }

        /** The most probable class per voxel, on the conformed grid. */
        public Volume argmax() {
            float[] out = new float[probabilities.length / classes];
            for (int n = 0; n < out.length; n++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (probabilities[n * classes + c] > probabilities[n * classes + best]) {
                        best = c;
                    }
                }
                out[n] = best;
            }
            return conformed.grid().withData(out);
        }
    }

    /**
     * Loads the model in {@code modelDirectory}; fails if saved_model.pb does not match its card's checksum.
     * {@code purpose} names the task in error messages ("brain extraction", "tissue segmentation").
     */
    public static ConformedSegmenter load(Path modelDirectory, String purpose) throws IOException {
        ModelFolder folder = ModelFolder.open(modelDirectory);
        ModelCard card = folder.card();
        if (card.preprocessing() == null) {
            throw new IOException("the model card in " + modelDirectory + " has no preprocessing section");
        }
        folder.checkSignatureMatchesCard();
        Names names = Names.of(folder.signature(), modelDirectory);
        Device device = TensorFlowRuntime.device();
        requireOneDnnOnCpu(purpose, device, card.preprocessing(), System.getenv());
        Criteria<ConformedVolume, float[]> criteria = Criteria.builder()
                .setTypes(ConformedVolume.class, float[].class)
                .optModelPath(modelDirectory)
                .optEngine(TensorFlowRuntime.ENGINE_NAME) // PyTorch is DJL's default when both engines are present
                .optOption("SignatureDefKey", card.servingSignature())
                .optDevice(device)
                .optTranslator(new ProbabilitiesTranslator(names))
                .build();
        try {
            ModelInfo info = folder.info(TensorFlowRuntime.describeDevice(device));
            ConformedSegmenter segmenter = new ConformedSegmenter(card, info, criteria.loadModel());
            LOG.info("model {} {} (sha256 {}) for {} runs on {}; input '{}', output '{}'", info.name(),
                    info.version(), info.sha256().substring(0, 12), purpose, info.device(), names.input(),
                    names.probabilities());
            return segmenter;
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load the " + purpose + " model from " + modelDirectory + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Without oneDNN, TensorFlow 2.16's own CPU Conv3D kernel aborts the whole process (std::bad_alloc, not an
     * exception Java can catch) on a 256^3 mindgrab forward pass, measured with 15 GB free; 128^3 ran, in ~97 s
     * against seconds with oneDNN. So a CPU run on a large grid with oneDNN switched off is refused up front.
     */
    static void requireOneDnnOnCpu(String purpose, Device device, ModelCard.Preprocessing preprocessing,
            Map<String, String> environment) throws IOException {
        boolean large = preprocessing.gridSize().stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b)
                > 128L * 128 * 128;
        if (!device.isGpu() && large && "0".equals(environment.get("TF_ENABLE_ONEDNN_OPTS"))) {
            throw new IOException(purpose + " on CPU needs oneDNN: TF_ENABLE_ONEDNN_OPTS=0 makes TensorFlow's "
                    + "Conv3D abort the process on a " + preprocessing.gridSize() + " grid; set "
                    + "TF_ENABLE_ONEDNN_OPTS=1 (scripts/runtime-env.sh does)");
        }
    }

    /** Conforms {@code volume} (any orientation) and runs the model on it. */
    public Output run(Volume volume) {
        ConformedVolume conformed = ConformedVolume.of(volume, card.preprocessing());
        try (Predictor<ConformedVolume, float[]> predictor = model.newPredictor()) {
            forwardLock.lock();
            try {
                long start = System.nanoTime();
                float[] lia = predictor.predict(conformed);
                Duration inference = Duration.ofNanos(System.nanoTime() - start);
                int classes = lia.length / conformed.grid().voxelCount();
                return new Output(conformed, conformed.fromTensorChannels(lia, classes), classes, inference);
            } finally {
                forwardLock.unlock();
            }
        } catch (TranslateException e) {
            throw new IllegalStateException(card.name() + " failed: " + e.getMessage(), e);
        }
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

    /**
     * The signature keys of the conformed volume and of the per-class probabilities: the signature's only input,
     * and its output "probabilities" (our converter's) or else its only output (a Keras model ending in a softmax,
     * e.g. "output_0").
     */
    record Names(String input, String probabilities) {
        static Names of(SavedModelSignature signature, Path directory) throws IOException {
            if (signature.inputs().size() != 1) {
                throw new IOException("a segmentation model takes one input, the conformed volume; "
                        + directory.resolve(ModelFolder.SAVED_MODEL_FILE) + " has " + signature.describeInputs());
            }
            String output = signature.outputs().containsKey(TfjsConverter.PROBABILITIES) ? TfjsConverter.PROBABILITIES
                    : signature.outputs().size() == 1 ? signature.outputs().keySet().iterator().next() : null;
            if (output == null) {
                throw new IOException("a segmentation model needs an output '" + TfjsConverter.PROBABILITIES
                        + "' or exactly one output (per-class probabilities, classes last); "
                        + directory.resolve(ModelFolder.SAVED_MODEL_FILE) + " has " + signature.describeOutputs());
            }
            return new Names(signature.inputs().keySet().iterator().next(), output);
        }
    }

    /** Feeds the LIA tensor [1, n, n, n, 1] as the input; returns every class's probability, classes last. */
    private record ProbabilitiesTranslator(Names names) implements NoBatchifyTranslator<ConformedVolume, float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, ConformedVolume input) {
            Volume grid = input.grid();
            NDArray volume = ctx.getNDManager().create(input.tensor(), new Shape(1, grid.nx(), grid.ny(), grid.nz(),
                    1));
            volume.setName(names.input());
            return new NDList(volume);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.get(names.probabilities()).toFloatArray();
        }
    }
}
