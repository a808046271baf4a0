package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DifferentialBiasTest {
    private static final int N = 60;

    /** "White" core, "grey" shell, "CSF" rim, air: radii 12, 22, 27 voxels. */
    private static float tissue(double r, double greyRadius) {
        return r < 12 ? 800 : r < greyRadius ? 500 : r < 27 ? 150 : 0;
    }

    private static double radius(int i, int j, int k) {
        return Math.sqrt(Math.pow(i - 30, 2) + Math.pow(j - 30, 2) + Math.pow(k - 30, 2));
    }

    private static Volume grid() {
        return Volume.zeros(N, N, N, new double[] {1, 1, 1}, new double[] {0, 0, 0});
    }

    /**
     * A 20% gradient with a curved (radial) part and a 10% gain: the edge is left out of the fit, as the processor
     * leaves it out, and the field there still comes back within 0.5%: a polynomial carries the gradient across the
     * gap, where a one-sided local average would not.
     */
    @Test
    void aCurvedShadingAndGainAreRemovedEvenWhereTheEdgeWasLeftOut() {
        Volume reference = grid();
        Volume shaded = grid();
        boolean[] edge = new boolean[reference.voxelCount()];
        for (int k = 0; k < N; k++) {
            for (int j = 0; j < N; j++) {
                for (int i = 0; i < N; i++) {
                    double r = radius(i, j, k);
                    float t = tissue(r, 22);
                    reference.set(i, j, k, t);
                    double shading = 1.1 * (0.9 + 0.2 * i / 59.0) * (1 + 0.04 * Math.pow((k - 30) / 30.0, 2));
                    shaded.set(i, j, k, (float) (t * shading));
                    edge[reference.index(i, j, k)] = Math.abs(r - 21) <= 4;
                }
            }
        }
        Volume matched = DifferentialBias.apply(shaded, DifferentialBias.field(reference, shaded, 3, edge));
        for (int i = 5; i < 56; i += 2) {
            float ref = reference.get(i, 30, 30);
            if (ref > 0) {
                assertThat((double) matched.get(i, 30, 30)).as("x = %d", i).isCloseTo(ref, offset(0.005 * ref));
            }
        }
        assertThat(Math.abs(shaded.get(50, 30, 30) - reference.get(50, 30, 30))).isGreaterThan(0.1f * 500);
        assertThat(matched.get(1, 1, 1)).as("air stays air").isZero();
    }

    /**
     * The reference is much noisier than the image (as the baseline is than the follow-up that interpolation has
     * smoothed), with a 5% gain between them: over the head the field finds the gain to 0.2%. A fit to the log of the
     * ratio reads 2% too low here (the log of a noisy value is biased low by half its relative variance), and at the
     * brain's edge every percent is about half a PBVC point.
     */
    @Test
    void noiseInOneScanMoreThanInTheOtherDoesNotBiasTheGain() {
        Volume noisy = grid();
        Volume image = grid();
        Random random = new Random(5);
        for (int k = 0; k < N; k++) {
            for (int j = 0; j < N; j++) {
                for (int i = 0; i < N; i++) {
                    if (radius(i, j, k) < 27) {
                        noisy.set(i, j, k, (float) (500 + 100 * random.nextGaussian()));
                        image.set(i, j, k, (float) (1.05 * 500 + 5 * random.nextGaussian()));
                    }
                }
            }
        }
        float[] field = DifferentialBias.field(noisy, image, 3, null).data();
        double sum = 0;
        int head = 0;
        for (int n = 0; n < field.length; n++) {
            if (image.data()[n] > 0) {
                sum += field[n];
                head++;
            }
        }

        assertThat(sum / head).isCloseTo(1 / 1.05, offset(0.002));
    }

    /**
     * The follow-up's "brain" shrank (grey shell 22 -> 20 voxels, CSF-dark where it was), with no shading at all:
     * leaving the edge out of the fit keeps the field at 1, so the loss stays visible; fitted over every voxel, the
     * field brightens the image to make up for the darker rim and hides part of it.
     */
    @Test
    void anExcludedEdgeKeepsAtrophyOutOfTheField() {
        Volume reference = grid();
        Volume shrunk = grid();
        boolean[] edge = new boolean[reference.voxelCount()];
        for (int k = 0; k < N; k++) {
            for (int j = 0; j < N; j++) {
                for (int i = 0; i < N; i++) {
                    double r = radius(i, j, k);
                    reference.set(i, j, k, tissue(r, 22));
                    shrunk.set(i, j, k, tissue(r, 20));
                    edge[reference.index(i, j, k)] = Math.abs(r - 21) <= 4;
                }
            }
        }
        double everywhere = DifferentialBias.field(reference, shrunk, 3, null).get(51, 30, 30);
        double edgeExcluded = DifferentialBias.field(reference, shrunk, 3, edge).get(51, 30, 30);

        assertThat(everywhere).as("the rim's darkening taken for shading").isGreaterThan(1.02);
        assertThat(edgeExcluded).isCloseTo(1.0, offset(0.002));
    }

    @Test
    void anImageWithoutAHeadIsRefusedClearly() {
        Volume empty = grid();
        assertThatThrownBy(() -> DifferentialBias.field(empty, empty, 3, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too few head voxels");
    }
}
