package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurostream.imaging.registration.RigidTransform;

class ResamplerOntoTest {
    private static final double COS = Math.cos(0.3);
    private static final double SIN = Math.sin(0.3);
    /** Rotated about the z axis, so the tests cover non-identity directions. */
    private static final double[] ROTATED = {COS, -SIN, 0, SIN, COS, 0, 0, 0, 1};

    private static Volume randomVolume(double[] spacing, double[] direction) {
        SplittableRandom random = new SplittableRandom(11);
        float[] data = new float[18 * 15 * 12];
        for (int n = 0; n < data.length; n++) {
            data[n] = (float) random.nextDouble(-500, 1500);
        }
        return new Volume(18, 15, 12, spacing, new double[] {-20, 7, 33}, direction, data);
    }

    @Test
    void identityTransformReproducesTheImage() {
        Volume v = randomVolume(new double[] {1.2, 0.9, 3}, ROTATED);
        RigidTransform identity = RigidTransform.identity(new double[] {5, 5, 5});
        assertThat(Resampler.resampleOnto(v, v, identity).data()).containsExactly(v.data());
        assertThat(Resampler.resampleOntoNearest(v, v, identity).data()).containsExactly(v.data());
    }

    @Test
    void wholeVoxelShiftMovesValuesExactly() {
        double[] spacing = {1.5, 2, 2.5};
        Volume v = randomVolume(spacing, ROTATED);
        int[] shift = {2, -3, 1};
        // The patient-space translation of (2, -3, 1) voxels along the volume's own axes.
        double[] t = new double[3];
        for (int r = 0; r < 3; r++) {
            for (int a = 0; a < 3; a++) {
                t[r] += ROTATED[3 * r + a] * spacing[a] * shift[a];
            }
        }
        RigidTransform translation = RigidTransform.translation(t);
        for (Volume out : new Volume[] {Resampler.resampleOnto(v, v, translation),
            Resampler.resampleOntoNearest(v, v, translation)}) {
            for (int k = 0; k < v.nz(); k++) {
                for (int j = 0; j < v.ny(); j++) {
                    for (int i = 0; i < v.nx(); i++) {
                        int si = i + shift[0];
                        int sj = j + shift[1];
                        int sk = k + shift[2];
                        boolean inside = si >= 0 && sj >= 0 && sk >= 0 && si < v.nx() && sj < v.ny() && sk < v.nz();
                        assertThat(out.get(i, j, k)).as("voxel %d,%d,%d", i, j, k)
                                .isEqualTo(inside ? v.get(si, sj, sk) : 0f);
                    }
                }
            }
        }
    }

    @Test
    void trilinearFollowsALinearFieldThroughARotation() {
        Volume moving = new Volume(30, 30, 30, new double[] {1, 1, 1}, new double[] {-15, -15, -15},
                Volume.identity(), new float[27000]);
        for (int k = 0; k < 30; k++) {
            for (int j = 0; j < 30; j++) {
                for (int i = 0; i < 30; i++) {
                    moving.set(i, j, k, (float) linear(moving.toPatient(i, j, k)));
                }
            }
        }
        Volume fixed = new Volume(10, 9, 8, new double[] {1.3, 1.7, 2.1}, new double[] {-6, -7, -8}, ROTATED,
                new float[720]);
        RigidTransform t = RigidTransform.of(8, -5, 12, new double[] {1.5, -2.25, 0.7}, new double[] {1, 2, 3});
        Volume out = Resampler.resampleOnto(moving, fixed, t);
        for (int k = 0; k < fixed.nz(); k++) {
            for (int j = 0; j < fixed.ny(); j++) {
                for (int i = 0; i < fixed.nx(); i++) {
                    double expected = linear(t.apply(fixed.toPatient(i, j, k)));
                    assertThat((double) out.get(i, j, k)).isCloseTo(expected, within(1e-3));
                }
            }
        }
        assertThat(out.direction()).containsExactly(ROTATED);
        assertThat(out.origin()).containsExactly(fixed.origin());
    }

    @Test
    void nearestKeepsMaskLabelsAndOutsideIsZero() {
        Volume mask = Volume.zeros(10, 10, 10, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        for (int n = 0; n < mask.voxelCount(); n++) {
            mask.data()[n] = n % 3;
        }
        RigidTransform t = RigidTransform.of(17, 4, -9, new double[] {0.3, 0.4, -0.2}, new double[] {5, 5, 5});
        Volume out = Resampler.resampleOntoNearest(mask, mask, t);
        for (float v : out.data()) {
            assertThat(v).isIn(0f, 1f, 2f);
        }
        Volume far = Resampler.resampleOnto(mask, mask, RigidTransform.translation(new double[] {50, 0, 0}));
        assertThat(far.data()).containsOnly(0f);
    }

    private static double linear(double[] p) {
        return 100 + 2 * p[0] - 3 * p[1] + 0.5 * p[2];
    }
}
