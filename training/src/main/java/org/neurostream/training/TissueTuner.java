package org.neurostream.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.Random;
import org.neurostream.inference.tfjs.TfjsModel;

/**
 * Fine-tunes a pretrained tissue MeshNet ({@link MeshNetBlock}, starting from brainchop's weights) with DJL's PyTorch
 * engine on patches of conformed phantom T1s ({@link TissueVisit}): transfer learning, as seed 004 starts from a
 * pretrained network, so a few hundred steps teach the phantoms' labelling instead of thousands from scratch.
 *
 * <p>Loss: softmax cross-entropy over the classes, on each patch's centre only: the outer {@link #MARGIN} voxels
 * see zero padding where the served model, which runs on the whole 256^3 volume at once, sees real neighbours.
 * Patches are centred on a grey or white matter voxel three times in four and anywhere in the volume otherwise (so
 * the head around the brain stays background). The seed fixes sampling.
 */
public final class TissueTuner implements AutoCloseable {
    public static final String ENGINE = "PyTorch";
    public static final float LEARNING_RATE = 5e-4f;
    public static final String OPTIMIZER = "Adam, learning rate 5e-4";
    public static final int MARGIN = 8;
    public static final String LOSS = "softmax cross-entropy on the patch centre (" + MARGIN
            + "-voxel border left out)";

    private final MeshNetBlock net;
    private final Model model;
    private final Trainer trainer;
    private final int patch;
    private final Random random;

    /** @param patch the training patch edge in voxels (more than twice {@link #MARGIN}) */
    public TissueTuner(TfjsModel pretrained, int patch, long seed) {
        if (patch <= 2 * MARGIN) {
            throw new IllegalArgumentException("the patch must exceed " + 2 * MARGIN + " voxels, got " + patch);
        }
        this.patch = patch;
        Engine.getEngine(ENGINE).setRandomSeed((int) seed);
        random = new Random(seed);
        net = new MeshNetBlock(pretrained);
        model = Model.newInstance("tissue-segmentation", Device.cpu(), ENGINE);
        model.setBlock(net);
        // The loss is computed in step(); the config's loss is only what DJL requires a trainer to have.
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build())
                .optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(new Shape(1, 1, patch, patch, patch));
        net.loadSourceWeights();
    }

    /** One optimisation step on {@code batchSize} patches drawn from {@code visits}; returns the loss. */
    public double step(List<TissueVisit> visits, int batchSize) {
        int voxels = patch * patch * patch;
        float[] image = new float[batchSize * voxels];
        float[] classes = new float[batchSize * voxels];
        for (int b = 0; b < batchSize; b++) {
            TissueVisit visit = visits.get(random.nextInt(visits.size()));
            cut(visit, origin(visit), b * voxels, image, classes);
        }
        return step(image, classes, batchSize);
    }

    /** One step on given patches (NCDHW, C = 1, each {@code patch}^3; classes as floats). */
    public double step(float[] image, float[] classes, int batchSize) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            Shape shape = new Shape(batchSize, 1, patch, patch, patch);
            NDArray x = manager.create(image, shape);
            NDArray y = manager.create(classes, shape).toType(DataType.INT64, false);
            NDArray loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                loss = loss(logits, y, MARGIN);
                collector.backward(loss);
            }
            trainer.step();
            return loss.getFloat();
        }
    }

    /** Mean cross-entropy over the voxels at least {@code margin} from the patch's faces. */
    static NDArray loss(NDArray logits, NDArray classes, int margin) {
        String centre = ":, :, " + margin + ":-" + margin + ", " + margin + ":-" + margin + ", " + margin + ":-"
                + margin;
        NDArray logProbabilities = logits.get(new NDIndex(centre)).logSoftmax(1);
        NDArray picked = logProbabilities.gather(classes.get(new NDIndex(centre)), 1);
        return picked.mean().neg();
    }

    /** Class probabilities (NCDHW flattened, C = classes) of one volume of {@code d x h x w}, inference mode. */
    public float[] predict(float[] image, int d, int h, int w) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray logits = trainer.evaluate(new NDList(manager.create(image, new Shape(1, 1, d, h, w))))
                    .singletonOrThrow();
            return logits.softmax(1).toFloatArray();
        }
    }

    public MeshNetBlock net() {
        return net;
    }

    private int[] origin(TissueVisit visit) {
        int n = visit.n();
        int[] origin = new int[3];
        if (random.nextDouble() < 0.75) {
            int v = visit.brain()[random.nextInt(visit.brain().length)];
            int[] centre = {v / (n * n), (v / n) % n, v % n};
            for (int a = 0; a < 3; a++) {
                origin[a] = Math.max(0, Math.min(n - patch, centre[a] - patch / 2));
            }
        } else {
            for (int a = 0; a < 3; a++) {
                origin[a] = random.nextInt(n - patch + 1);
            }
        }
        return origin;
    }

    private void cut(TissueVisit visit, int[] origin, int offset, float[] image, float[] classes) {
        int n = visit.n();
        int m = offset;
        for (int a = 0; a < patch; a++) {
            for (int b = 0; b < patch; b++) {
                int v = ((origin[0] + a) * n + origin[1] + b) * n + origin[2];
                for (int c = 0; c < patch; c++, v++, m++) {
                    image[m] = visit.image()[v];
                    classes[m] = visit.classes()[v];
                }
            }
        }
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
