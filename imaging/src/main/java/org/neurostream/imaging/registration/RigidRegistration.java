package org.neurostream.imaging.registration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.neurostream.imaging.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rigid (6 degrees of freedom) registration of a moving volume to a fixed volume, for two scans of the same
 * subject and contrast: normalised cross-correlation, coarse to fine over a Gaussian pyramid, BOBYQA optimiser.
 *
 * <p>The result maps fixed-image points to moving-image points (see {@link RigidTransform}), so
 * {@code Resampler.resampleOnto(moving, fixed, result.transform())} brings the moving image onto the fixed grid.
 * Results are deterministic: random sampling is seeded and parallel sums are reduced in a fixed order.
 */
public final class RigidRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(RigidRegistration.class);
    /** BOBYQA's recommended interpolation set for n parameters: 2n + 1. */
    private static final int INTERPOLATION_POINTS = 13;
    /** Search box around each level's start; far beyond any head motion between visits. */
    private static final double MAX_ROTATION_DEG = 45;
    private static final double MAX_TRANSLATION_MM = 100;

    /**
     * @param levelSpacingsMm the pyramid, coarse to fine, e.g. {4, 2, 1}; an axis coarser than a level keeps its
     *     own spacing
     * @param maxSamplesPerLevel how many fixed-image points the similarity is computed on at each level (a seeded
     *     random subset when the level has more voxels)
     * @param degreesPerMm how many degrees of rotation the optimiser treats as equal to 1 mm of translation
     *     (1 degree moves a point 57 mm from the centre by 1 mm, roughly the radius of a brain)
     * @param finalStepFraction the optimiser stops when its trust region shrinks to this fraction of the level
     *     spacing (mm, or degrees times degreesPerMm)
     * @param maxEvaluationsPerLevel cap on similarity evaluations at each level
     * @param alignCentresOfMass start from the translation that aligns the intensity centres of mass (when no
     *     initial transform is given)
     * @param seed seed of the random sampling
     */
    public record Options(double[] levelSpacingsMm, int maxSamplesPerLevel, double degreesPerMm,
            double finalStepFraction, int maxEvaluationsPerLevel, boolean alignCentresOfMass, long seed) {
        public Options {
            levelSpacingsMm = levelSpacingsMm.clone();
            if (levelSpacingsMm.length == 0 || Arrays.stream(levelSpacingsMm).anyMatch(s -> !(s > 0))) {
                throw new IllegalArgumentException("need at least one positive level spacing");
            }
            if (maxSamplesPerLevel < 100 || !(degreesPerMm > 0) || !(finalStepFraction > 0 && finalStepFraction < 1)
                    || maxEvaluationsPerLevel < 50) {
                throw new IllegalArgumentException("need maxSamplesPerLevel >= 100, degreesPerMm > 0, "
                        + "0 < finalStepFraction < 1, maxEvaluationsPerLevel >= 50");
            }
        }

        /** 4, 2 and 1 mm; 100 000 samples per level; 1 degree = 1 mm; stop at 1% of the level spacing. */
        public static Options defaults() {
            return new Options(new double[] {4, 2, 1}, 100_000, 1.0, 0.01, 2000, true, 20261123L);
        }

        public Options withLevels(double... spacingsMm) {
            return new Options(spacingsMm, maxSamplesPerLevel, degreesPerMm, finalStepFraction,
                    maxEvaluationsPerLevel, alignCentresOfMass, seed);
        }

        public Options withMaxSamplesPerLevel(int samples) {
            return new Options(levelSpacingsMm, samples, degreesPerMm, finalStepFraction, maxEvaluationsPerLevel,
                    alignCentresOfMass, seed);
        }

        @Override
        public double[] levelSpacingsMm() {
            return levelSpacingsMm.clone();
        }
    }

    /** What happened at one pyramid level. */
    public record Level(double spacingMm, int samples, int evaluations, double nccStart, double nccEnd,
            long millis) {
    }

    /**
     * @param transform fixed → moving, about the fixed image's intensity centre of mass
     * @param ncc similarity at the finest level after registration: the registration-quality figure
     * @param nccBefore similarity at the finest level for the identity transform (the images as they came)
     * @param evaluations similarity evaluations over all levels
     * @param pyramidMillis time spent building both pyramids
     * @param levels per-level figures, coarse to fine
     */
    public record Result(RigidTransform transform, double ncc, double nccBefore, int evaluations,
            long pyramidMillis, List<Level> levels) {
        public Result {
            levels = List.copyOf(levels);
        }

        public long[] millisPerLevel() {
            return levels.stream().mapToLong(Level::millis).toArray();
        }

        public long totalMillis() {
            return pyramidMillis + levels.stream().mapToLong(Level::millis).sum();
        }
    }

    private final Options options;

    public RigidRegistration(Options options) {
        this.options = options;
    }

    public RigidRegistration() {
        this(Options.defaults());
    }

    public Result register(Volume fixed, Volume moving) {
        return register(fixed, moving, null, null);
    }

    /** @param fixedMask nonzero where similarity counts (any grid; e.g. a brain mask), or null for everywhere */
    public Result register(Volume fixed, Volume moving, Volume fixedMask) {
        return register(fixed, moving, fixedMask, null);
    }

    /**
     * @param fixedMask nonzero where similarity counts (any grid), or null for everywhere
     * @param initial fixed → moving starting transform, or null to start from the centres of mass (or identity)
     */
    public Result register(Volume fixed, Volume moving, Volume fixedMask, RigidTransform initial) {
        long start = System.nanoTime();
        double[] spacings = options.levelSpacingsMm();
        List<Volume> fixedLevels = ImagePyramid.build(fixed, spacings);
        List<Volume> movingLevels = ImagePyramid.build(moving, spacings);
        double[] centre = centreOfMass(fixed);
        RigidTransform current;
        if (initial != null) {
            current = initial.withCentre(centre);
        } else if (options.alignCentresOfMass()) {
            double[] movingCentre = centreOfMass(moving);
            current = RigidTransform.of(0, 0, 0, new double[] {movingCentre[0] - centre[0],
                movingCentre[1] - centre[1], movingCentre[2] - centre[2]}, centre);
        } else {
            current = RigidTransform.identity(centre);
        }
        long pyramidMillis = (System.nanoTime() - start) / 1_000_000;

        List<Level> levels = new ArrayList<>();
        int evaluations = 0;
        NccMetric metric = null;
        for (int l = 0; l < spacings.length; l++) {
            long levelStart = System.nanoTime();
            metric = NccMetric.sample(fixedLevels.get(l), movingLevels.get(l), fixedMask,
                    options.maxSamplesPerLevel(), options.seed() + l);
            double nccStart = metric.evaluate(current);
            Optimum optimum = optimise(metric, current, centre, spacings[l]);
            current = optimum.transform;
            evaluations += optimum.evaluations;
            Level level = new Level(spacings[l], metric.sampleCount(), optimum.evaluations, nccStart,
                    optimum.ncc, (System.nanoTime() - levelStart) / 1_000_000);
            levels.add(level);
            LOG.debug("rigid registration level {} mm: {} samples, {} evaluations, NCC {} -> {}, {} ms",
                    level.spacingMm(), level.samples(), level.evaluations(), level.nccStart(), level.nccEnd(),
                    level.millis());
        }
        double nccBefore = metric.evaluate(RigidTransform.identity(centre));
        Result result = new Result(current, levels.get(levels.size() - 1).nccEnd(), nccBefore, evaluations,
                pyramidMillis, levels);
        // Debug, not info: the caller logs the outcome with its study/pair ids (DESIGN.md: one line per event).
        LOG.debug("rigid registration: NCC {} -> {}, rotation {} deg, translation {} mm, {} evaluations, {} ms",
                String.format("%.4f", nccBefore), String.format("%.4f", result.ncc()),
                String.format("%.2f", current.rotationAngleDegrees()),
                String.format("%.2f", current.translationMagnitude()), evaluations, result.totalMillis());
        return result;
    }

    private record Optimum(RigidTransform transform, double ncc, int evaluations) {
    }

    private Optimum optimise(NccMetric metric, RigidTransform start, double[] centre, double spacingMm) {
        double[] x0 = toOptimiser(start.withCentre(centre).parameters());
        double rotationBound = MAX_ROTATION_DEG / options.degreesPerMm();
        double[] lower = new double[6];
        double[] upper = new double[6];
        for (int p = 0; p < 6; p++) {
            double bound = p < 3 ? rotationBound : MAX_TRANSLATION_MM;
            lower[p] = x0[p] - bound;
            upper[p] = x0[p] + bound;
        }
        // Remember the best point ourselves: the evaluation cap ends BOBYQA with an exception, not a result.
        double[] best = x0.clone();
        double[] bestNcc = {metric.evaluate(start.withCentre(centre))};
        int[] count = {1};
        ObjectiveFunction objective = new ObjectiveFunction(x -> {
            double ncc = metric.evaluate(RigidTransform.fromParameters(fromOptimiser(x), centre));
            count[0]++;
            if (ncc > bestNcc[0]) {
                bestNcc[0] = ncc;
                System.arraycopy(x, 0, best, 0, 6);
            }
            return ncc;
        });
        BOBYQAOptimizer optimizer = new BOBYQAOptimizer(INTERPOLATION_POINTS, spacingMm,
                spacingMm * options.finalStepFraction());
        try {
            optimizer.optimize(new MaxEval(options.maxEvaluationsPerLevel()), objective, GoalType.MAXIMIZE,
                    new InitialGuess(x0), new SimpleBounds(lower, upper));
        } catch (TooManyEvaluationsException e) {
            LOG.debug("rigid registration level {} mm hit the cap of {} evaluations", spacingMm,
                    options.maxEvaluationsPerLevel());
        }
        return new Optimum(RigidTransform.fromParameters(fromOptimiser(best), centre), bestNcc[0], count[0]);
    }

    /** Rotations are divided by degreesPerMm so a unit step means about the same displacement for all six. */
    private double[] toOptimiser(double[] parameters) {
        double[] x = parameters.clone();
        for (int p = 0; p < 3; p++) {
            x[p] /= options.degreesPerMm();
        }
        return x;
    }

    private double[] fromOptimiser(double[] x) {
        double[] parameters = x.clone();
        for (int p = 0; p < 3; p++) {
            parameters[p] *= options.degreesPerMm();
        }
        return parameters;
    }

    /**
     * Intensity-weighted centre (patient mm) of the positive voxels, or the geometric centre of an image with
     * none.
     */
    public static double[] centreOfMass(Volume volume) {
        int nx = volume.nx();
        int ny = volume.ny();
        float[] data = volume.data();
        // Per-slice partial sums reduced in slice order: the same answer on any number of threads.
        double[][] partial = new double[volume.nz()][];
        IntStream.range(0, volume.nz()).parallel().forEach(k -> {
            double w = 0;
            double si = 0;
            double sj = 0;
            int n = k * nx * ny;
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++, n++) {
                    double v = data[n];
                    if (v > 0) {
                        w += v;
                        si += v * i;
                        sj += v * j;
                    }
                }
            }
            partial[k] = new double[] {w, si, sj, w * k};
        });
        double w = 0;
        double si = 0;
        double sj = 0;
        double sk = 0;
        for (double[] p : partial) {
            w += p[0];
            si += p[1];
            sj += p[2];
            sk += p[3];
        }
        if (w <= 0) {
            return volume.centre();
        }
        return volume.toPatient(si / w, sj / w, sk / w);
    }
}
