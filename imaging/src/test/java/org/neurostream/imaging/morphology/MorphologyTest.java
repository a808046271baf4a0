package org.neurostream.imaging.morphology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neurostream.imaging.Volume;

class MorphologyTest {
    private static Volume grid(int nx, int ny, int nz, double... spacing) {
        return Volume.zeros(nx, ny, nz, spacing, new double[] {0, 0, 0});
    }

    @Test
    void distanceTransformMatchesBruteForceOnAnAnisotropicGrid() {
        Volume grid = grid(13, 9, 7, 1.0, 1.5, 2.5);
        Random random = new Random(7);
        boolean[] set = new boolean[grid.voxelCount()];
        for (int n = 0; n < set.length; n++) {
            set[n] = random.nextDouble() < 0.03;
        }
        float[] fast = DistanceTransform.squaredMm(set, grid);
        for (int k = 0; k < 7; k++) {
            for (int j = 0; j < 9; j++) {
                for (int i = 0; i < 13; i++) {
                    double best = Double.POSITIVE_INFINITY;
                    for (int c = 0; c < 7; c++) {
                        for (int b = 0; b < 9; b++) {
                            for (int a = 0; a < 13; a++) {
                                if (set[grid.index(a, b, c)]) {
                                    double d = Math.pow((a - i) * 1.0, 2) + Math.pow((b - j) * 1.5, 2)
                                            + Math.pow((c - k) * 2.5, 2);
                                    best = Math.min(best, d);
                                }
                            }
                        }
                    }
                    assertThat((double) fast[grid.index(i, j, k)]).isCloseTo(best, offset(1e-4));
                }
            }
        }
    }

    @Test
    void anEmptySetIsInfinitelyFar() {
        Volume grid = grid(4, 4, 4, 1, 1, 1);
        assertThat(DistanceTransform.squaredMm(new boolean[64], grid)).containsOnly(Float.POSITIVE_INFINITY);
    }

    @Test
    void componentsAreFaceConnectedAndSized() {
        Volume grid = grid(10, 10, 10, 1, 1, 1);
        boolean[] mask = new boolean[1000];
        fill(mask, grid, 1, 3, 1, 3, 1, 3); // 27 voxels
        fill(mask, grid, 6, 7, 6, 7, 6, 7); // 8 voxels
        mask[grid.index(4, 4, 4)] = true; // touches the first cube only at a corner: its own component
        ConnectedComponents components = ConnectedComponents.label(mask, 10, 10, 10);
        assertThat(components.count()).isEqualTo(3);
        assertThat(components.sizes()).containsExactly(0, 27, 1, 8);
        assertThat(components.labels()[grid.index(2, 2, 2)]).isEqualTo(1);
        assertThat(components.labels()[grid.index(0, 0, 0)]).isZero();
    }

    @Test
    void holesAreTheEnclosedCavitiesOnly() {
        Volume grid = grid(12, 12, 12, 1, 1, 1);
        boolean[] shell = new boolean[grid.voxelCount()];
        fill(shell, grid, 2, 9, 2, 9, 2, 9);
        boolean[] cavity = new boolean[grid.voxelCount()];
        fill(cavity, grid, 4, 7, 4, 7, 4, 7);
        for (int n = 0; n < shell.length; n++) {
            shell[n] &= !cavity[n];
        }
        assertThat(Masks.holes(shell, grid)).containsExactly(cavity);
        // Open the cavity to the outside through a channel: no longer a hole.
        for (int i = 0; i < 5; i++) {
            shell[grid.index(i, 5, 5)] = false;
        }
        assertThat(Masks.count(Masks.holes(shell, grid))).isZero();
    }

    @Test
    void closingBridgesANarrowGapButNotAWideOne() {
        Volume grid = grid(40, 20, 20, 1, 1, 1);
        boolean[] narrow = new boolean[grid.voxelCount()];
        fill(narrow, grid, 5, 14, 5, 14, 5, 14);
        fill(narrow, grid, 17, 26, 5, 14, 5, 14); // a 2-voxel gap at i = 15, 16
        boolean[] closed = Masks.close(narrow, grid, 3.0);
        assertThat(closed[grid.index(15, 10, 10)]).isTrue();
        assertThat(closed[grid.index(16, 10, 10)]).isTrue();
        for (int n = 0; n < narrow.length; n++) {
            assertThat(closed[n] || !narrow[n]).isTrue(); // closing never removes
        }
        boolean[] wide = new boolean[grid.voxelCount()];
        fill(wide, grid, 2, 9, 5, 14, 5, 14);
        fill(wide, grid, 20, 27, 5, 14, 5, 14); // 10-voxel gap: more than twice the radius
        assertThat(Masks.close(wide, grid, 3.0)[grid.index(15, 10, 10)]).isFalse();
    }

    @Test
    void diceOfHalfOverlappingMasks() {
        boolean[] a = {true, true, false, false};
        boolean[] b = {false, true, true, false};
        assertThat(Masks.dice(a, b)).isEqualTo(0.5);
        assertThat(Masks.dice(new boolean[3], new boolean[3])).isEqualTo(1.0);
    }

    private static void fill(boolean[] mask, Volume grid, int i0, int i1, int j0, int j1, int k0, int k1) {
        for (int k = k0; k <= k1; k++) {
            for (int j = j0; j <= j1; j++) {
                for (int i = i0; i <= i1; i++) {
                    mask[grid.index(i, j, k)] = true;
                }
            }
        }
    }
}
