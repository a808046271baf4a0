package org.neurostream.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.Random;

/**
 * Trains {@link NewLesionNet} with DJL's PyTorch engine on patches of registered phantom FLAIR pairs.
 *
 * <p>Loss: binary cross-entropy on the logits plus soft Dice on the sigmoid; cross-entropy alone would let the
 * network answer "no lesion" everywhere, since lesions fill well under 1% of a patch. Patches are drawn half around
 * a new lesion, a quarter around an old lesion (bright in both visits: what the network must learn to leave out)
 * and a quarter anywhere in the head; each visit's intensity is scaled by a random gain of up to ±10% (scanner drift
 * beyond what the normalisation removes). The seed fixes initialisation and sampling.
 */
public final class NewLesionTrainer implements AutoCloseable {
    public static final String ENGINE = "PyTorch";
    public static final float LEARNING_RATE = 1e-3f;
    public static final String OPTIMIZER = "Adam, learning rate 1e-3";
    public static final String LOSS = "binary cross-entropy on logits + soft Dice";
    static final double GAIN_JITTER = 0.1;

    private final NewLesionNet net = new NewLesionNet();
    private final Model model;
    private final Trainer trainer;
    private final int patch;
    private final Random random;

    /** @param patch the training patch edge in voxels (even) */
    public NewLesionTrainer(int patch, long seed) {
        if (patch % 2 != 0) {
            throw new IllegalArgumentException("the patch must be even, got " + patch);
        }
        this.patch = patch;
        Engine.getEngine(ENGINE).setRandomSeed((int) seed);
        random = new Random(seed);
        model = Model.newInstance("new-lesion-segmenter", Device.cpu(), ENGINE);
        model.setBlock(net);
        // The loss is computed in step(); the config's loss is only what DJL requires a trainer to have.
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build())
                .optDevices(new Device[] {Device.cpu()}));
        Shape one = new Shape(1, 1, patch, patch, patch);
        trainer.initialize(one, one);
    }

    /** One optimisation step on {@code batchSize} patches drawn from {@code pairs}; returns the loss. */
    public double step(List<NewLesionPair> pairs, int batchSize) {
        int voxels = patch * patch * patch;
        float[] baseline = new float[batchSize * voxels];
        float[] followUp = new float[batchSize * voxels];
        float[] labels = new float[batchSize * voxels];
        for (int b = 0; b < batchSize; b++) {
            NewLesionPair pair = pairs.get(random.nextInt(pairs.size()));
            int[] origin = origin(pair);
            float baselineGain = (float) (1 + GAIN_JITTER * (2 * random.nextDouble() - 1));
            float followUpGain = (float) (1 + GAIN_JITTER * (2 * random.nextDouble() - 1));
            cut(pair, origin, b * voxels, baseline, followUp, labels, baselineGain, followUpGain);
        }
        return step(baseline, followUp, labels, batchSize);
    }

    /** One step on given patches (NCDHW, C = 1, each {@code patch}^3). */
    public double step(float[] baseline, float[] followUp, float[] labels, int batchSize) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            Shape shape = new Shape(batchSize, 1, patch, patch, patch);
            NDList inputs = new NDList(manager.create(baseline, shape), manager.create(followUp, shape));
            NDArray y = manager.create(labels, shape);
            NDArray loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(inputs).singletonOrThrow();
                loss = loss(logits, y);
                collector.backward(loss);
            }
            trainer.step();
            return loss.getFloat();
        }
    }

    static NDArray loss(NDArray logits, NDArray y) {
        // log(1 + e^x) - x y, written so that no exponential overflows.
        NDArray bce = logits.maximum(0).sub(logits.mul(y)).add(logits.abs().neg().exp().add(1).log()).mean();
        NDArray p = logits.getNDArrayInternal().sigmoid();
        NDArray dice = p.mul(y).sum().mul(2).add(1).div(p.sum().add(y.sum()).add(1));
        return bce.add(dice.neg().add(1));
    }

    /** P(new lesion) per voxel for one window pair (NCDHW flattened, C = 1, {@code edge}^3), inference mode. */
    public float[] predict(float[] baseline, float[] followUp, int edge) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            Shape shape = new Shape(1, 1, edge, edge, edge);
            NDArray logits = trainer.evaluate(new NDList(manager.create(baseline, shape),
                    manager.create(followUp, shape))).singletonOrThrow();
            return logits.getNDArrayInternal().sigmoid().toFloatArray();
        }
    }

    public NewLesionNet net() {
        return net;
    }

    private int[] origin(NewLesionPair pair) {
        double draw = random.nextDouble();
        int[] source = draw < 0.5 && pair.newVoxels().length > 0 ? pair.newVoxels()
                : draw < 0.75 && pair.oldVoxels().length > 0 ? pair.oldVoxels() : pair.headVoxels();
        int n = source[random.nextInt(source.length)];
        int[] d = pair.dims();
        int[] centre = {n % d[0], (n / d[0]) % d[1], n / (d[0] * d[1])};
        int[] origin = new int[3];
        int slack = patch / 2 - 4;
        for (int a = 0; a < 3; a++) {
            int jitter = slack > 0 ? random.nextInt(2 * slack + 1) - slack : 0;
            origin[a] = Math.max(0, Math.min(d[a] - patch, centre[a] - patch / 2 + jitter));
        }
        return origin;
    }

    private void cut(NewLesionPair pair, int[] origin, int offset, float[] baseline, float[] followUp,
            float[] labels, float baselineGain, float followUpGain) {
        int[] d = pair.dims();
        int m = offset;
        for (int k = 0; k < patch; k++) {
            for (int j = 0; j < patch; j++) {
                int n = ((origin[2] + k) * d[1] + origin[1] + j) * d[0] + origin[0];
                for (int i = 0; i < patch; i++, n++, m++) {
                    baseline[m] = pair.baseline()[n] * baselineGain;
                    followUp[m] = pair.followUp()[n] * followUpGain;
                    labels[m] = pair.newLesions()[n];
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
