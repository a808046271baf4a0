package org.neurostream.phantom;

import java.util.Random;
import org.neurostream.imaging.registration.RigidTransform;

/**
 * One synthetic subject's head: sizes in mm, a small head rotation, a smooth shape perturbation shared by skull
 * and brain, a gyral folding pattern and two lateral ventricles. Coordinates are head-frame mm from the head
 * centre (x left, y posterior, z superior).
 */
record PhantomAnatomy(double[] centre, double[] rotation, double[] headAxes, double scalpMm, double skullMm,
        double[] brainAxes, double greyWhiteLevel, double[] shape, double[][] foldWaves, double[] foldPhases,
        double foldThreshold, double[] ventricleAxes, double[] ventricleCentre) {

    static final int FOLD_WAVES = 6;
    /** Angular frequency of the folds: about 18 mm between gyri on a 70 mm brain. */
    static final double FOLD_FREQUENCY = 24;

    static PhantomAnatomy random(Random random) {
        double size = Seeds.uniform(random, 0.93, 1.05);
        double[] head = {
            75 * size * Seeds.uniform(random, 0.96, 1.04),
            95 * size * Seeds.uniform(random, 0.96, 1.04),
            85 * size * Seeds.uniform(random, 0.96, 1.04)};
        double scalp = Seeds.uniform(random, 5, 7);
        double skull = Seeds.uniform(random, 6, 8);
        double extracerebralCsf = Seeds.uniform(random, 3, 5);
        double inset = scalp + skull + extracerebralCsf;
        double[] brain = {head[0] - inset, head[1] - inset, head[2] - inset};
        double cortexMm = Seeds.uniform(random, 4, 5);
        double meanBrainRadius = (brain[0] + brain[1] + brain[2]) / 3;

        double[] shape = new double[6];
        for (int n = 0; n < shape.length; n++) {
            shape[n] = Seeds.uniform(random, -0.02, 0.02);
        }
        double[][] waves = new double[FOLD_WAVES][];
        double[] phases = new double[FOLD_WAVES];
        for (int n = 0; n < FOLD_WAVES; n++) {
            waves[n] = randomUnitVector(random);
            phases[n] = Seeds.uniform(random, 0, 2 * Math.PI);
        }
        double[] ventricleAxes = {
            Seeds.uniform(random, 7, 10), Seeds.uniform(random, 22, 28), Seeds.uniform(random, 9, 13)};
        double[] ventricleCentre = {
            ventricleAxes[0] * 1.3 + 2.5, Seeds.uniform(random, -8, 2), Seeds.uniform(random, 5, 12)};
        double[] centre = {Seeds.uniform(random, -3, 3), Seeds.uniform(random, -3, 3), Seeds.uniform(random, -3, 3)};
        // Drawn yaw, pitch, roll in this order (the phantoms depend on it), applied roll first.
        double yaw = Math.toRadians(Seeds.uniform(random, -6, 6));
        double pitch = Math.toRadians(Seeds.uniform(random, -6, 6));
        double roll = Math.toRadians(Seeds.uniform(random, -6, 6));
        double[] rotation = RigidTransform.rotationMatrixRadians(roll, pitch, yaw);
        return new PhantomAnatomy(centre, rotation, head, scalp, skull, brain, 1 - cortexMm / meanBrainRadius,
                shape, waves, phases, Seeds.uniform(random, 0.9, 1.1), ventricleAxes, ventricleCentre);
    }

    /** Relative radius change of skull and brain in direction u (unit vector): low-order, a few percent. */
    double shapeAt(double ux, double uy, double uz) {
        return shape[0] * ux * uy + shape[1] * uy * uz + shape[2] * ux * uz + shape[3] * (ux * ux - uy * uy)
                + shape[4] * (3 * uz * uz - 1) / 2 + shape[5] * uy;
    }

    /** Folding field on the sphere of directions, roughly unit variance; sulci lie where it exceeds a threshold. */
    double foldAt(double ux, double uy, double uz) {
        double sum = 0;
        for (int n = 0; n < FOLD_WAVES; n++) {
            double[] w = foldWaves[n];
            sum += Math.cos(FOLD_FREQUENCY * (w[0] * ux + w[1] * uy + w[2] * uz) + foldPhases[n]);
        }
        return sum / Math.sqrt(FOLD_WAVES / 2.0);
    }

    /** Patient point (mm) to head frame: subtract the centre, undo the head rotation. */
    void toHeadFrame(double x, double y, double z, double[] out) {
        double dx = x - centre[0];
        double dy = y - centre[1];
        double dz = z - centre[2];
        double[] r = rotation;
        out[0] = r[0] * dx + r[3] * dy + r[6] * dz;
        out[1] = r[1] * dx + r[4] * dy + r[7] * dz;
        out[2] = r[2] * dx + r[5] * dy + r[8] * dz;
    }

    private static double[] randomUnitVector(Random random) {
        double x = random.nextGaussian();
        double y = random.nextGaussian();
        double z = random.nextGaussian();
        double norm = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / norm, y / norm, z / norm};
    }
}
