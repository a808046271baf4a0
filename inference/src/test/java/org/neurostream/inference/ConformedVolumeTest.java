package org.neurostream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.neurostream.imaging.Reorienter;
import org.neurostream.imaging.Volume;

class ConformedVolumeTest {
    private static final int N = 16;
    private static final ModelCard.Preprocessing GRID = new ModelCard.Preprocessing(List.of(N, N, N),
            List.of(2.0, 2.0, 2.0), "test", 0, 100, "min-max");

    /**
     * An RAS-ordered (NIfTI-like), anisotropic volume whose values are one patient coordinate: after conforming,
     * stepping along tensor d0 must go Left, d1 Inferior, d2 Anterior, and nowhere else.
     */
    @Test
    void tensorAxesRunLeftInferiorAnterior() {
        // LPS x grows to the Left, y to Posterior, z to Superior.
        assertStep(p -> p[0], 0, +1);
        assertStep(p -> -p[2], 1, +1);
        assertStep(p -> -p[1], 2, +1);
        assertStep(p -> p[1], 1, 0);
        assertStep(p -> p[2], 0, 0);
    }

    @Test
    void tensorValuesGoBackToTheGridScaledToZeroOne() {
        ConformedVolume conformed = ConformedVolume.of(rasVolume(p -> p[0] + 2 * p[1] - p[2]), GRID);

        assertThat(conformed.fromTensorChannels(conformed.tensor(), 1)).containsExactly(conformed.grid().data());
        float[] values = conformed.grid().data();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isZero();
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void nearestNeighbourThroughPatientCoordinatesUndoesAReorientation() {
        Volume input = rasVolume(p -> p[0] + 100 * p[1] + 10000 * p[2]);
        Volume canonical = Reorienter.toCanonical(input);
        assertThat(canonical.direction()).containsExactly(Volume.identity());

        Volume back = ConformedVolume.nearestOnto(canonical, input);

        assertThat(back.data()).containsExactly(input.data());
        assertThat(back.origin()).containsExactly(input.origin());
    }

    /**
     * A 1 mm scan of odd size (as Colin27's 181 x 217 x 181) in a 2^k cube: labels carried onto the conformed grid
     * and back must come back unchanged. Exactly centred, the cube fell half-way between the scan's voxels and the
     * round trip shifted thin structures by up to a voxel (grey matter Dice 0.75 against itself, measured).
     */
    @Test
    void labelsOfAOneMillimetreScanSurviveTheRoundTrip() {
        Volume scan = new Volume(11, 9, 13, new double[] {1, 1, 1}, new double[] {-5, -4, -6}, Volume.identity(),
                new float[11 * 9 * 13]);
        for (int n = 0; n < scan.voxelCount(); n++) {
            scan.data()[n] = (n * 7919) % 5; // no smooth structure: any shift or blend shows
        }
        ModelCard.Preprocessing oneMillimetre = new ModelCard.Preprocessing(List.of(N, N, N), List.of(1.0, 1.0, 1.0),
                "test", 0, 100, "min-max");

        ConformedVolume conformed = ConformedVolume.of(scan, oneMillimetre);
        Volume back = ConformedVolume.nearestOnto(conformed.grid(), scan);

        for (int n = 0; n < scan.voxelCount(); n++) {
            assertThat(back.data()[n] * 4).as("voxel %d", n).isEqualTo(scan.data()[n]); // min-max: 0..4 -> 0..1
        }
    }

    private static void assertStep(ToDoubleFunction<double[]> value, int axis, int sign) {
        ConformedVolume conformed = ConformedVolume.of(rasVolume(value), GRID);
        float[] t = conformed.tensor();
        int[] stride = {N * N, N, 1};
        int centre = (N / 2 * N + N / 2) * N + N / 2;
        double step = t[centre + stride[axis]] - t[centre];
        if (sign == 0) {
            assertThat(step).isCloseTo(0, offset(1e-6));
        } else {
            assertThat(step * sign).isPositive();
            for (int other = 0; other < 3; other++) {
                if (other != axis) {
                    assertThat((double) t[centre + stride[other]] - t[centre]).isCloseTo(0, offset(1e-6));
                }
            }
        }
    }

    /** 40 x 36 x 24 voxels of 1 x 1.2 x 1.5 mm, axes Right, Anterior, Superior (as NIfTI files come). */
    private static Volume rasVolume(ToDoubleFunction<double[]> value) {
        double[] direction = {-1, 0, 0, 0, -1, 0, 0, 0, 1};
        Volume volume = new Volume(40, 36, 24, new double[] {1, 1.2, 1.5}, new double[] {20, 21, -17}, direction,
                new float[40 * 36 * 24]);
        for (int k = 0; k < volume.nz(); k++) {
            for (int j = 0; j < volume.ny(); j++) {
                for (int i = 0; i < volume.nx(); i++) {
                    volume.set(i, j, k, (float) value.applyAsDouble(volume.toPatient(i, j, k)));
                }
            }
        }
        return volume;
    }
}
