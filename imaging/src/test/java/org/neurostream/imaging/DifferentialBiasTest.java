package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class DifferentialBiasTest {
    /** A head-like blob, then the same blob under a 20% shading gradient and a 10% gain: matched back. */
    @Test
    void aSmoothShadingAndGainBetweenScansIsRemovedWhileEdgesStay() {
        Volume reference = Volume.zeros(60, 60, 60, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Volume shaded = Volume.zeros(60, 60, 60, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        for (int k = 0; k < 60; k++) {
            for (int j = 0; j < 60; j++) {
                for (int i = 0; i < 60; i++) {
                    double r = Math.sqrt(Math.pow(i - 30, 2) + Math.pow(j - 30, 2) + Math.pow(k - 30, 2));
                    float tissue = r < 12 ? 800 : r < 22 ? 500 : 0; // "white" core, "grey" shell, air
                    reference.set(i, j, k, tissue);
                    shaded.set(i, j, k, (float) (tissue * 1.1 * (0.9 + 0.2 * i / 59.0)));
                }
            }
        }
        Volume matched = DifferentialBias.apply(shaded, DifferentialBias.field(reference, shaded, 10));
        // Inside the head every voxel is back within 3% of the reference (10-30% off before); the worst is near the
        // edge, where the kernel sees mostly the inside and so a slightly different part of the gradient.
        for (int i = 12; i < 48; i += 5) {
            float ref = reference.get(i, 30, 30);
            if (ref > 0) {
                assertThat((double) matched.get(i, 30, 30)).isCloseTo(ref, offset(0.03 * ref));
            }
        }
        assertThat(Math.abs(shaded.get(45, 30, 30) - reference.get(45, 30, 30))).isGreaterThan(0.1f * 500);
        // Air stays air.
        assertThat(matched.get(1, 1, 1)).isZero();
    }

    /**
     * The follow-up's "brain" shrank (grey shell 22 -> 20 voxels, CSF-dark 150 where it was), with no shading at
     * all: leaving the edge out of the estimate keeps the field near 1 there, so the loss stays visible; estimated
     * over every voxel, the field brightens the dark rim and hides part of it.
     */
    @Test
    void anExcludedEdgeKeepsAtrophyOutOfTheField() {
        Volume reference = Volume.zeros(60, 60, 60, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Volume shrunk = Volume.zeros(60, 60, 60, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        boolean[] edge = new boolean[reference.voxelCount()];
        for (int k = 0; k < 60; k++) {
            for (int j = 0; j < 60; j++) {
                for (int i = 0; i < 60; i++) {
                    double r = Math.sqrt(Math.pow(i - 30, 2) + Math.pow(j - 30, 2) + Math.pow(k - 30, 2));
                    reference.set(i, j, k, r < 12 ? 800 : r < 22 ? 500 : r < 27 ? 150 : 0);
                    shrunk.set(i, j, k, r < 12 ? 800 : r < 20 ? 500 : r < 27 ? 150 : 0);
                    edge[i + 60 * (j + 60 * k)] = Math.abs(r - 21) <= 4;
                }
            }
        }
        double everywhere = DifferentialBias.field(reference, shrunk, 10).get(51, 30, 30);
        double edgeExcluded = DifferentialBias.field(reference, shrunk, 10, edge).get(51, 30, 30);

        assertThat(everywhere).as("the rim's darkening taken for shading").isGreaterThan(1.05);
        assertThat(edgeExcluded).isCloseTo(1.0, offset(0.02));
    }
}
