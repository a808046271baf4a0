package org.neurostream.imaging.registration;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.neurostream.imaging.Colin27;
import org.neurostream.imaging.Reorienter;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.Volume;

/**
 * Timing of a 256^3, 1 mm registration on this machine: Colin27 padded (whole voxels, no interpolation) to 256^3,
 * moved by a known 10 degree / 10 mm motion. Not part of the normal build; run with
 * {@code mvn -B -o -pl imaging install -Dtest=RigidRegistrationBenchmark -Dneurostream.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "neurostream.bench", matches = "true")
class RigidRegistrationBenchmark {
    private static final int SIZE = 256;

    @Test
    void register256Cubed() {
        Volume head = pad(Reorienter.toCanonical(Colin27.t1()));
        Volume brain = pad(Reorienter.toCanonical(Colin27.brain()));
        float[] maskData = new float[brain.voxelCount()];
        for (int n = 0; n < maskData.length; n++) {
            maskData[n] = brain.data()[n] > 0 ? 1 : 0;
        }
        Volume mask = brain.withData(maskData);
        double[] centre = RigidRegistration.centreOfMass(brain);
        double t = 10 / Math.sqrt(3);
        // 10 degrees about the (1, 1, 1) diagonal split into Euler angles, and 10 mm along (1, 1, -1).
        RigidTransform motion = RigidTransform.fromMatrix(rodrigues(new double[] {1, 1, 1}, 10),
                new double[3], centre).withCentre(centre);
        motion = RigidTransform.fromParameters(new double[] {motion.parameters()[0], motion.parameters()[1],
            motion.parameters()[2], t, t, -t}, centre);
        Volume moved = Resampler.resampleOnto(head, head, motion);
        System.out.printf("benchmark: %s, %d cores, motion %.2f deg %.2f mm%n", head,
                Runtime.getRuntime().availableProcessors(), motion.rotationAngleDegrees(),
                motion.translationMagnitude());

        for (int run = 1; run <= 3; run++) {
            report("run " + run + " brain mask, levels 4/2/1", motion, brain, new RigidRegistration()
                    .register(head, moved, mask));
        }
        report("no mask, levels 4/2/1", motion, brain, new RigidRegistration().register(head, moved));
        report("brain mask, levels 4/2", motion, brain, new RigidRegistration(RigidRegistration.Options.defaults()
                .withLevels(4, 2)).register(head, moved, mask));
        // Beyond the brief's range: 10 degrees about each axis (17 degrees in all) and 10 mm along each (17 mm).
        RigidTransform large = RigidTransform.fromParameters(new double[] {10, 10, 10, 10, 10, 10}, centre);
        report("beyond the limits (%.1f deg, %.1f mm), brain mask, 4/2/1".formatted(large.rotationAngleDegrees(),
                large.translationMagnitude()), large, brain, new RigidRegistration()
                .register(head, Resampler.resampleOnto(head, head, large), mask));
        long start = System.nanoTime();
        ImagePyramid.build(head, new double[] {4, 2, 1});
        System.out.printf("  one pyramid alone: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        for (Volume m : new Volume[] {mask, null}) {
            start = System.nanoTime();
            NccMetric metric = NccMetric.sample(head, moved, m, 100_000, 1);
            long sampled = System.nanoTime();
            for (int e = 0; e < 100; e++) {
                metric.evaluate(motion.inverse());
            }
            System.out.printf("  1 mm level, %s: sampling %d ms, 100 evaluations of 100k samples %d ms%n",
                    m == null ? "no mask" : "brain mask", (sampled - start) / 1_000_000,
                    (System.nanoTime() - sampled) / 1_000_000);
        }
    }

    private static void report(String label, RigidTransform motion, Volume brain, RigidRegistration.Result r) {
        RigidTransform expected = motion.inverse();
        double worst = 0;
        for (int c = 0; c < 8; c++) {
            double[] corner = brain.toPatient((c & 1) * (brain.nx() - 1), ((c >> 1) & 1) * (brain.ny() - 1),
                    ((c >> 2) & 1) * (brain.nz() - 1));
            worst = Math.max(worst, r.transform().displacementDifference(expected, corner));
        }
        double atCentre = r.transform().displacementDifference(expected, RigidRegistration.centreOfMass(brain));
        System.out.printf("  %s: total %d ms (pyramids %d, levels %s), %d evaluations; error %.3f mm at the"
                + " brain centre, %.3f mm max at the 256 mm grid corners, %.4f deg; NCC %.4f -> %.4f%n", label,
                r.totalMillis(), r.pyramidMillis(), Arrays.toString(r.millisPerLevel()), r.evaluations(), atCentre,
                worst, motion.compose(r.transform()).rotationAngleDegrees(), r.nccBefore(), r.ncc());
    }

    private static Volume pad(Volume v) {
        int[] offset = {(SIZE - v.nx()) / 2, (SIZE - v.ny()) / 2, (SIZE - v.nz()) / 2};
        float[] out = new float[SIZE * SIZE * SIZE];
        for (int k = 0; k < v.nz(); k++) {
            for (int j = 0; j < v.ny(); j++) {
                System.arraycopy(v.data(), v.index(0, j, k), out,
                        offset[0] + SIZE * (j + offset[1] + SIZE * (k + offset[2])), v.nx());
            }
        }
        return new Volume(SIZE, SIZE, SIZE, v.spacing(), v.toPatient(-offset[0], -offset[1], -offset[2]),
                v.direction(), out);
    }

    private static double[] rodrigues(double[] axis, double degrees) {
        double norm = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        double x = axis[0] / norm;
        double y = axis[1] / norm;
        double z = axis[2] / norm;
        double c = Math.cos(Math.toRadians(degrees));
        double s = Math.sin(Math.toRadians(degrees));
        double d = 1 - c;
        return new double[] {
            c + x * x * d, x * y * d - z * s, x * z * d + y * s,
            y * x * d + z * s, c + y * y * d, y * z * d - x * s,
            z * x * d - y * s, z * y * d + x * s, c + z * z * d,
        };
    }
}
