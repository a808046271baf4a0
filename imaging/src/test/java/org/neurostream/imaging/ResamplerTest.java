package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResamplerTest {
    private static final double COS = Math.cos(0.3);
    private static final double SIN = Math.sin(0.3);
    /** Rotated about the z axis, so the test covers non-identity directions. */
    private static final double[] ROTATED = {COS, -SIN, 0, SIN, COS, 0, 0, 0, 1};

    /** A volume whose values are a linear function of patient position, which trilinear reproduces exactly. */
    private static Volume linearVolume() {
        Volume volume = new Volume(20, 16, 12, new double[] {1.5, 2.0, 2.5}, new double[] {-10, 5, 30}, ROTATED,
                new float[20 * 16 * 12]);
        for (int k = 0; k < volume.nz(); k++) {
            for (int j = 0; j < volume.ny(); j++) {
                for (int i = 0; i < volume.nx(); i++) {
                    volume.set(i, j, k, (float) linear(volume.toPatient(i, j, k)));
                }
            }
        }
        return volume;
    }

    private static double linear(double[] p) {
        return 100 + 2 * p[0] - 3 * p[1] + 0.5 * p[2];
    }

    @Test
    void keepsCentreAndDirectionsOfTheSource() {
        Volume source = linearVolume();
        Volume target = Resampler.resampleCentred(source, new int[] {9, 7, 5}, new double[] {3, 4, 5});

        assertThat(target.nx()).isEqualTo(9);
        assertThat(target.ny()).isEqualTo(7);
        assertThat(target.nz()).isEqualTo(5);
        assertThat(target.spacing()).containsExactly(3, 4, 5);
        assertThat(target.direction()).containsExactly(ROTATED);
        assertThat(target.centre()).containsExactly(source.centre(), within(1e-9));
    }

    @Test
    void interpolatesLinearFieldsExactlyInside() {
        Volume source = linearVolume();
        Volume target = Resampler.resampleCentred(source, new int[] {11, 9, 7}, new double[] {2.2, 2.9, 3.1});

        for (int k = 0; k < target.nz(); k++) {
            for (int j = 0; j < target.ny(); j++) {
                for (int i = 0; i < target.nx(); i++) {
                    double expected = linear(target.toPatient(i, j, k));
                    assertThat((double) target.get(i, j, k)).as("voxel %d,%d,%d", i, j, k)
                            .isCloseTo(expected, within(1e-3));
                }
            }
        }
    }

    @Test
    void sameGridReturnsSameValues() {
        Volume source = linearVolume();
        Volume target = Resampler.resampleCentred(source, new int[] {20, 16, 12}, source.spacing());

        assertThat(target.origin()).containsExactly(source.origin(), within(1e-9));
        for (int n = 0; n < source.voxelCount(); n++) {
            assertThat(target.data()[n]).isCloseTo(source.data()[n], within(1e-3f));
        }
    }

    @Test
    void pointsOutsideTheSourceAreZero() {
        Volume source = linearVolume();
        // Twice the extent: the outer ring of target voxels lies far outside the source.
        Volume target = Resampler.resampleCentred(source, new int[] {40, 32, 24}, source.spacing());

        assertThat(target.get(0, 0, 0)).isZero();
        assertThat(target.get(39, 31, 23)).isZero();
        assertThat(target.get(20, 16, 12)).isNotZero();
    }

    @Test
    void halfVoxelOutsideBlendsTowardsZero() {
        Volume ones = Volume.zeros(4, 4, 4, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        java.util.Arrays.fill(ones.data(), 1f);
        // 5 voxels of 1 mm centred on a 4-voxel source: the first and last target samples sit half a voxel
        // outside the source, so they blend the edge voxel with the zero outside.
        Volume target = Resampler.resampleCentred(ones, new int[] {5, 4, 4}, new double[] {1, 1, 1});

        assertThat(target.get(0, 1, 1)).isCloseTo(0.5f, within(1e-6f));
        assertThat(target.get(2, 1, 1)).isCloseTo(1f, within(1e-6f));
        assertThat(target.get(4, 1, 1)).isCloseTo(0.5f, within(1e-6f));
    }

    @Test
    void onSourceVoxelsCopiesAxesAtTheSourceSpacingInsteadOfBlending() {
        Volume source = linearVolume(); // 20 x 16 x 12 at 1.5, 2.0, 2.5 mm
        // x and y keep their spacing (odd and even size changes), z does not.
        Volume target = Resampler.resampleCentredOnVoxels(source, new int[] {25, 19, 7}, new double[] {1.5, 2.0, 4.0});

        // x: exactly centred the first sample would be source index -2.5; it moves to -2 (y: -1.5 -> -1).
        double[] firstInSource = source.toVoxel(target.origin()[0], target.origin()[1], target.origin()[2]);
        assertThat(firstInSource[0]).isCloseTo(-2, within(1e-9));
        assertThat(firstInSource[1]).isCloseTo(-1, within(1e-9));
        double[] exactCentre = Resampler.resampleCentred(source, new int[] {25, 19, 7},
                new double[] {1.5, 2.0, 4.0}).centre();
        double moved = 0;
        for (int a = 0; a < 3; a++) {
            moved += Math.pow(target.centre()[a] - exactCentre[a], 2);
        }
        // Half a voxel along x (0.75 mm) and y (1 mm) at most.
        assertThat(Math.sqrt(moved)).isLessThanOrEqualTo(Math.hypot(0.75, 1.0) + 1e-9);
        // Copied, not interpolated: target voxel (i, j) is source voxel (i - 2, j - 1) where both exist.
        int k = 3;
        double[] p = target.toPatient(5, 4, k);
        double[] v = source.toVoxel(p[0], p[1], p[2]);
        assertThat(v[0]).isCloseTo(3, within(1e-9));
        assertThat(v[1]).isCloseTo(3, within(1e-9));
        assertThat((double) target.get(5, 4, k)).isCloseTo(linear(p), within(1e-3));
        // A value that is not a linear field would be blurred by interpolation: a single bright voxel stays single.
        Volume spike = Volume.zeros(9, 9, 9, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        spike.set(4, 4, 4, 1f);
        Volume copied = Resampler.resampleCentredOnVoxels(spike, new int[] {12, 12, 12}, new double[] {1, 1, 1});
        Volume blurred = Resampler.resampleCentred(spike, new int[] {12, 12, 12}, new double[] {1, 1, 1});
        float max = 0;
        float blurredMax = 0;
        for (int n = 0; n < copied.voxelCount(); n++) {
            max = Math.max(max, copied.data()[n]);
            blurredMax = Math.max(blurredMax, blurred.data()[n]);
        }
        assertThat(max).isEqualTo(1f);
        assertThat(blurredMax).as("exact centring falls between voxels").isLessThan(0.2f);
    }
}
