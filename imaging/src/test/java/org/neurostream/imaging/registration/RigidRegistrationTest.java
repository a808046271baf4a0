package org.neurostream.imaging.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.neurostream.imaging.Colin27;
import org.neurostream.imaging.Reorienter;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.Volume;

/**
 * Registers the real Colin27 head, moved by known rigid motions, back onto itself. Errors: translation as the
 * largest displacement error over the 8 corners of the brain's bounding box (so rotation errors count too, at the
 * brain's edge), rotation as the angle of the residual rotation.
 */
class RigidRegistrationTest {
    private static final double MAX_ERROR_MM = 1.0;
    private static final double MAX_ERROR_DEG = 1.0;

    private static Volume head;
    private static Volume brainMask;
    private static double[][] brainCorners;
    private static double[] brainCentre;

    @BeforeAll
    static void load() {
        head = Reorienter.toCanonical(Colin27.t1());
        Volume brain = Reorienter.toCanonical(Colin27.brain());
        float[] mask = new float[brain.voxelCount()];
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {-1, -1, -1};
        for (int k = 0; k < brain.nz(); k++) {
            for (int j = 0; j < brain.ny(); j++) {
                for (int i = 0; i < brain.nx(); i++) {
                    if (brain.get(i, j, k) > 0) {
                        mask[brain.index(i, j, k)] = 1;
                        int[] v = {i, j, k};
                        for (int a = 0; a < 3; a++) {
                            lo[a] = Math.min(lo[a], v[a]);
                            hi[a] = Math.max(hi[a], v[a]);
                        }
                    }
                }
            }
        }
        brainMask = brain.withData(mask);
        brainCorners = new double[8][];
        for (int c = 0; c < 8; c++) {
            brainCorners[c] = brain.toPatient((c & 1) == 0 ? lo[0] : hi[0], (c & 2) == 0 ? lo[1] : hi[1],
                    (c & 4) == 0 ? lo[2] : hi[2]);
        }
        brainCentre = brain.toPatient((lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0, (lo[2] + hi[2]) / 2.0);
    }

    static Stream<Arguments> motions() {
        return Stream.of(
                Arguments.of("small mixed", new double[] {2, -3, 4, 3, -5, 2}),
                Arguments.of("mostly translation", new double[] {1, 0.5, -1.5, -7, 4, 6}),
                Arguments.of("pitch and shift", new double[] {-8, 3, 2, 2, 6, -5}),
                Arguments.of("roll yaw", new double[] {3, 6, -7, -4, -3, 4}),
                // 10 degrees about an oblique axis and 10 mm along an oblique direction, exactly.
                Arguments.of("at the limits", atLimits()));
    }

    private static double[] atLimits() {
        double[] axis = {1 / Math.sqrt(3), -1 / Math.sqrt(3), 1 / Math.sqrt(3)};
        // Euler angles of 10 degrees about the axis, via the matrix (Rodrigues).
        double th = Math.toRadians(10);
        double c = Math.cos(th);
        double s = Math.sin(th);
        double[] m = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int q = 0; q < 3; q++) {
                m[3 * r + q] = (r == q ? c : 0) + (1 - c) * axis[r] * axis[q];
            }
        }
        m[1] -= s * axis[2];
        m[2] += s * axis[1];
        m[3] += s * axis[2];
        m[5] -= s * axis[0];
        m[6] -= s * axis[1];
        m[7] += s * axis[0];
        double[] angles = RigidTransform.eulerAngles(m);
        double t = 10 / Math.sqrt(3);
        return new double[] {angles[0], angles[1], angles[2], t, t, -t};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("motions")
    void recoversAKnownMotionOfTheHead(String name, double[] parameters) {
        RigidTransform motion = RigidTransform.fromParameters(parameters, brainCentre);
        // moved(p) = head(motion(p)): registering moved onto head must find the inverse motion.
        Volume moved = Resampler.resampleOnto(head, head, motion);
        RigidRegistration.Result result = new RigidRegistration(testOptions()).register(head, moved, brainMask);

        RigidTransform expected = motion.inverse();
        double errorMm = 0;
        for (double[] corner : brainCorners) {
            errorMm = Math.max(errorMm, result.transform().displacementDifference(expected, corner));
        }
        double errorDeg = motion.compose(result.transform()).rotationAngleDegrees();
        System.out.printf("%s: motion %.2f deg %.2f mm; error %.3f mm (brain box corners), %.3f deg; NCC %.4f -> %.4f;"
                + " %d evaluations; pyramid %d ms, levels %s ms%n", name, motion.rotationAngleDegrees(),
                motion.translationMagnitude(), errorMm, errorDeg, result.nccBefore(), result.ncc(),
                result.evaluations(), result.pyramidMillis(), java.util.Arrays.toString(result.millisPerLevel()));
        assertThat(errorMm).isLessThan(MAX_ERROR_MM);
        assertThat(errorDeg).isLessThan(MAX_ERROR_DEG);
        assertThat(result.ncc()).isGreaterThan(result.nccBefore());
    }

    @Test
    void recoversAMotionWithoutAMaskToo() {
        RigidTransform motion = RigidTransform.fromParameters(new double[] {-5, 4, 6, 6, -4, -5}, brainCentre);
        Volume moved = Resampler.resampleOnto(head, head, motion);
        RigidRegistration.Result result = new RigidRegistration(testOptions()).register(head, moved);
        double errorMm = 0;
        for (double[] corner : brainCorners) {
            errorMm = Math.max(errorMm, result.transform().displacementDifference(motion.inverse(), corner));
        }
        assertThat(errorMm).isLessThan(MAX_ERROR_MM);
        assertThat(motion.compose(result.transform()).rotationAngleDegrees()).isLessThan(MAX_ERROR_DEG);
        assertThat(result.ncc()).isGreaterThan(result.nccBefore());
    }

    @Test
    void movingImageOnAnotherGridWithOtherAxes() {
        // The moving scan keeps NIfTI's RAS voxel order and has 1.5 x 1.5 x 3 mm voxels: only patient space links
        // the two grids.
        Volume raw = Colin27.t1();
        Volume grid = Resampler.resampleCentred(raw, new int[] {121, 145, 61}, new double[] {1.5, 1.5, 3});
        RigidTransform motion = RigidTransform.fromParameters(new double[] {4, -6, 3, -5, 2, 7}, brainCentre);
        Volume moved = Resampler.resampleOnto(head, grid, motion);
        assertThat(Reorienter.mapping(moved).inputCode()).isEqualTo("RAS");

        RigidRegistration.Result result = new RigidRegistration(testOptions()).register(head, moved, brainMask);
        double errorMm = 0;
        for (double[] corner : brainCorners) {
            errorMm = Math.max(errorMm, result.transform().displacementDifference(motion.inverse(), corner));
        }
        assertThat(errorMm).isLessThan(MAX_ERROR_MM);
        assertThat(motion.compose(result.transform()).rotationAngleDegrees()).isLessThan(MAX_ERROR_DEG);
    }

    @Test
    void sameAnswerOnOneThreadAsOnAll() throws Exception {
        RigidTransform motion = RigidTransform.fromParameters(new double[] {3, -2, 5, 4, 3, -6}, brainCentre);
        Volume moved = Resampler.resampleOnto(head, head, motion);
        RigidRegistration registration = new RigidRegistration(RigidRegistration.Options.defaults().withLevels(4, 2));
        RigidRegistration.Result all = registration.register(head, moved, brainMask);
        // Parallel streams started inside a pool run in that pool: this run uses a single worker.
        ForkJoinPool single = new ForkJoinPool(1);
        try {
            RigidRegistration.Result one = single.submit(() -> registration.register(head, moved, brainMask)).get();
            assertThat(one.transform().parameters()).containsExactly(all.transform().parameters());
            assertThat(one.ncc()).isEqualTo(all.ncc());
            assertThat(one.evaluations()).isEqualTo(all.evaluations());
        } finally {
            single.shutdown();
        }
    }

    @Test
    void identicalImagesStayPutWithCorrelationOne() {
        RigidRegistration.Result result = new RigidRegistration(RigidRegistration.Options.defaults()
                .withLevels(4, 2)).register(head, head, brainMask);
        assertThat(result.nccBefore()).isCloseTo(1.0, within(1e-9));
        assertThat(result.transform().rotationAngleDegrees()).isLessThan(0.05);
        assertThat(result.transform().translationMagnitude()).isLessThan(0.05);
        assertThat(result.levels()).hasSize(2);
        assertThat(result.levels().get(0).samples()).isPositive();
    }

    @Test
    void limitsCaseIsReallyAtTheLimits() {
        RigidTransform motion = RigidTransform.fromParameters(atLimits(), brainCentre);
        assertThat(motion.rotationAngleDegrees()).isCloseTo(10, within(1e-9));
        assertThat(motion.translationMagnitude()).isCloseTo(10, within(1e-9));
    }

    static RigidRegistration.Options testOptions() {
        return RigidRegistration.Options.defaults();
    }
}
