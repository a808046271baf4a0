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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.neurostream.inference.PreparedPair;

/**
 * Trains {@link SiameseChangeNet} with DJL's PyTorch engine: softmax cross-entropy on the logits, Adam. Batches are
 * drawn from a reshuffled pass over the training pairs; the seed fixes both the weight initialisation and the
 * order.
 */
public final class ChangeClassifierTrainer implements AutoCloseable {
    public static final String ENGINE = "PyTorch";
    public static final String OPTIMIZER = "Adam, learning rate 1e-3";
    public static final float LEARNING_RATE = 1e-3f;

    /** Called after every step with its loss (mean over the batch). */
    public interface Progress {
        void step(int step, double loss);
    }

    private final SiameseChangeNet net = new SiameseChangeNet();
    private final Model model;
    private final Trainer trainer;
    private final Shape volumeShape;
    private final Random random;
    private final List<Integer> order = new ArrayList<>();
    private int cursor;

    /** {@code gridSize} as (nx, ny, nz), from the preprocessing. */
    public ChangeClassifierTrainer(int[] gridSize, long seed) {
        // Training runs on the CPU here; the engine would pick up a CUDA build of libtorch if one were installed.
        Engine engine = Engine.getEngine(ENGINE);
        engine.setRandomSeed((int) seed);
        random = new Random(seed);
        volumeShape = new Shape(1, gridSize[2], gridSize[1], gridSize[0]);
        model = Model.newInstance("change-classifier", Device.cpu(), ENGINE);
        model.setBlock(net);
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build())
                .optDevices(new Device[] {Device.cpu()}));
        Shape batchOfOne = new Shape(1).addAll(volumeShape);
        trainer.initialize(batchOfOne, batchOfOne);
    }

    /** Runs {@code steps} optimisation steps of {@code batchSize} pairs; returns the loss of every step. */
    public List<Double> train(List<LabelledPair> data, int steps, int batchSize, Progress progress) {
        List<Double> losses = new ArrayList<>(steps);
        for (int step = 1; step <= steps; step++) {
            double loss = step(nextBatch(data, batchSize));
            losses.add(loss);
            progress.step(step, loss);
        }
        return losses;
    }

    /** One optimisation step on {@code batch}; returns its loss. */
    public double step(List<LabelledPair> batch) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDList inputs = inputs(manager, batch.stream().map(LabelledPair::pair).toList());
            float[] labels = new float[batch.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = batch.get(i).declining() ? 1 : 0;
            }
            NDArray loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList logits = trainer.forward(inputs);
                loss = trainer.getLoss().evaluate(new NDList(manager.create(labels)), logits);
                collector.backward(loss);
            }
            trainer.step();
            return loss.getFloat();
        }
    }

    /** [P(stable), P(declining)] per pair, in inference mode (running batch-norm statistics, no dropout). */
    public float[][] predict(List<PreparedPair> pairs) {
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray probabilities = trainer.evaluate(inputs(manager, pairs)).singletonOrThrow().softmax(1);
            float[] flat = probabilities.toFloatArray();
            float[][] result = new float[pairs.size()][2];
            for (int i = 0; i < pairs.size(); i++) {
                result[i] = new float[] {flat[2 * i], flat[2 * i + 1]};
            }
            return result;
        }
    }

    public SiameseChangeNet net() {
        return net;
    }

    private NDList inputs(NDManager manager, List<PreparedPair> pairs) {
        int voxels = (int) volumeShape.size();
        float[] baselines = new float[pairs.size() * voxels];
        float[] followUps = new float[pairs.size() * voxels];
        for (int i = 0; i < pairs.size(); i++) {
            System.arraycopy(pairs.get(i).baseline(), 0, baselines, i * voxels, voxels);
            System.arraycopy(pairs.get(i).followUp(), 0, followUps, i * voxels, voxels);
        }
        Shape shape = new Shape(pairs.size()).addAll(volumeShape); // NCDHW
        return new NDList(manager.create(baselines, shape), manager.create(followUps, shape));
    }

    private List<LabelledPair> nextBatch(List<LabelledPair> data, int batchSize) {
        List<LabelledPair> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize) {
            if (cursor == order.size()) {
                order.clear();
                for (int i = 0; i < data.size(); i++) {
                    order.add(i);
                }
                Collections.shuffle(order, random);
                cursor = 0;
            }
            batch.add(data.get(order.get(cursor++)));
        }
        return batch;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
