package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class BoundaryShiftIntegralTest {
    private static final double CSF = 100;
    private static final double TISSUE = 500;

    /** A ball of "brain" in "CSF", its edge softened like a real acquisition, of a given radius. */
    private static Volume ball(double radiusMm) {
        Volume v = Volume.zeros(64, 64, 64, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        for (int k = 0; k < 64; k++) {
            for (int j = 0; j < 64; j++) {
                for (int i = 0; i < 64; i++) {
                    double r = Math.sqrt(Math.pow(i - 31.5, 2) + Math.pow(j - 31.5, 2) + Math.pow(k - 31.5, 2));
                    double inside = 1 / (1 + Math.exp((r - radiusMm) / 0.6)); // ~1 mm wide partial-volume edge
                    v.set(i, j, k, (float) (CSF + (TISSUE - CSF) * inside));
                }
            }
        }
        return v;
    }

    @Test
    void aShrinkingBallLosesItsTrueVolume() {
        Volume before = ball(20);
        Volume after = ball(19.5);
        boolean[] brain = new boolean[before.voxelCount()];
        for (int n = 0; n < brain.length; n++) {
            brain[n] = before.data()[n] > (CSF + TISSUE) / 2;
        }
        double expected = 4 / 3.0 * Math.PI * (Math.pow(20, 3) - Math.pow(19.5, 3)) / 1000;
        double loss = BoundaryShiftIntegral.lossMl(before, after, brain, CSF, TISSUE, 3);
        // 2.4 mL of a 33.5 mL ball (a 0.5 mm shift, half a voxel): found to within 2%.
        assertThat(loss).isCloseTo(expected, offset(0.02 * expected));
        assertThat(BoundaryShiftIntegral.lossMl(before, before, brain, CSF, TISSUE, 3)).isZero();
        assertThat(BoundaryShiftIntegral.lossMl(after, before, brain, CSF, TISSUE, 3)).isCloseTo(-expected,
                offset(0.05 * expected));
    }

    @Test
    void anEmptyWindowIsRefused() {
        Volume v = ball(10);
        assertThatThrownBy(() -> BoundaryShiftIntegral.lossMl(v, v, new boolean[v.voxelCount()], 300, 300, 2))
                .hasMessageContaining("window");
    }
}
