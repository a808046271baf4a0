package org.neurostream.imaging.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RigidTransformTest {
    private static final double[] CENTRE = {12, -30, 45};
    private static final RigidTransform A = RigidTransform.of(7, -4, 9, new double[] {3, -8, 5}, CENTRE);
    private static final RigidTransform B = RigidTransform.of(-12, 6, 2.5, new double[] {-6, 1, 9},
            new double[] {-20, 5, 0});

    @Test
    void rotationsAreActiveRightHandedAboutPatientAxesXFirst() {
        double[] origin = {0, 0, 0};
        assertThat(RigidTransform.of(0, 0, 90, new double[3], origin).apply(new double[] {1, 0, 0}))
                .containsExactly(new double[] {0, 1, 0}, within(1e-12));
        assertThat(RigidTransform.of(90, 0, 0, new double[3], origin).apply(new double[] {0, 1, 0}))
                .containsExactly(new double[] {0, 0, 1}, within(1e-12));
        assertThat(RigidTransform.of(0, 90, 0, new double[3], origin).apply(new double[] {0, 0, 1}))
                .containsExactly(new double[] {1, 0, 0}, within(1e-12));
        // x first, then z: (0,1,0) -> (0,0,1) by rx, which rz leaves alone; the other order would give (-1,0,0).
        assertThat(RigidTransform.of(90, 0, 90, new double[3], origin).apply(new double[] {0, 1, 0}))
                .containsExactly(new double[] {0, 0, 1}, within(1e-12));
    }

    @Test
    void rotatesAboutTheCentreAndTranslationMovesTheCentre() {
        RigidTransform t = RigidTransform.of(20, -30, 40, new double[] {1, 2, 3}, CENTRE);
        assertThat(t.apply(CENTRE)).containsExactly(new double[] {13, -28, 48}, within(1e-12));
    }

    @Test
    void inverseUndoesTheTransform() {
        RigidTransform inverse = A.inverse();
        for (double[] p : randomPoints(20)) {
            assertThat(inverse.apply(A.apply(p))).containsExactly(p, within(1e-9));
            assertThat(A.apply(inverse.apply(p))).containsExactly(p, within(1e-9));
        }
        assertThat(A.compose(inverse).rotationAngleDegrees()).isCloseTo(0, within(1e-6));
        assertThat(A.compose(inverse).translationMagnitude()).isCloseTo(0, within(1e-9));
        assertThat(inverse.rotationAngleDegrees()).isCloseTo(A.rotationAngleDegrees(), within(1e-9));
    }

    @Test
    void composeAppliesTheInnerTransformFirst() {
        RigidTransform ab = A.compose(B);
        RigidTransform ba = B.compose(A);
        for (double[] p : randomPoints(20)) {
            assertThat(ab.apply(p)).containsExactly(A.apply(B.apply(p)), within(1e-9));
            assertThat(ba.apply(p)).containsExactly(B.apply(A.apply(p)), within(1e-9));
        }
        // Rotations do not commute, so the two orders must differ somewhere.
        assertThat(ab.displacementDifference(ba, new double[] {50, 50, 50})).isGreaterThan(1);
        assertThat(ab.centre()).containsExactly(CENTRE);
    }

    @Test
    void matrixAndAnglesRoundTrip() {
        RigidTransform back = RigidTransform.fromMatrix(A.rotationMatrix(), A.offset(), CENTRE);
        assertThat(back.parameters()).containsExactly(A.parameters(), within(1e-9));
    }

    @Test
    void gimbalLockStillMapsPointsCorrectly() {
        RigidTransform locked = RigidTransform.of(30, 90, 10, new double[] {1, 2, 3}, CENTRE);
        RigidTransform back = RigidTransform.fromMatrix(locked.rotationMatrix(), locked.offset(), CENTRE);
        for (double[] p : randomPoints(10)) {
            assertThat(back.apply(p)).containsExactly(locked.apply(p), within(1e-9));
        }
    }

    @Test
    void withCentreKeepsTheMappingAndTheAngles() {
        RigidTransform moved = A.withCentre(new double[] {-100, 40, 7});
        for (double[] p : randomPoints(10)) {
            assertThat(moved.apply(p)).containsExactly(A.apply(p), within(1e-9));
        }
        assertThat(moved.anglesDegrees()).containsExactly(A.anglesDegrees());
    }

    @Test
    void magnitudes() {
        assertThat(RigidTransform.of(0, 0, -10, new double[] {3, 4, 0}, CENTRE).rotationAngleDegrees())
                .isCloseTo(10, within(1e-9));
        assertThat(RigidTransform.of(0, 0, -10, new double[] {3, 4, 0}, CENTRE).translationMagnitude())
                .isCloseTo(5, within(1e-12));
        // Two 90-degree turns about different axes make one 120-degree turn about a diagonal.
        assertThat(RigidTransform.of(90, 90, 0, new double[3], CENTRE).rotationAngleDegrees())
                .isCloseTo(120, within(1e-9));
        assertThat(RigidTransform.identity(CENTRE).rotationAngleDegrees()).isZero();
    }

    private static double[][] randomPoints(int n) {
        SplittableRandom random = new SplittableRandom(5);
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            points[i] = new double[] {random.nextDouble(-150, 150), random.nextDouble(-150, 150),
                random.nextDouble(-150, 150)};
        }
        return points;
    }
}
