package org.neurostream.inference.lesions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.neurostream.imaging.Volume;

class NewLesionMapTest {
    private static final Volume GRID = Volume.zeros(20, 20, 20, new double[] {1, 1, 1}, new double[] {-10, -10, -10});

    @Test
    void componentsAboveTheMinimumVolumeAreLesionsLargestFirst() {
        float[] p = new float[GRID.voxelCount()];
        cube(p, 2, 2, 2, 2, 0.9f);    // 8 voxels = 0.008 mL: below the minimum, dropped
        cube(p, 10, 10, 10, 4, 0.8f); // 64 voxels
        cube(p, 3, 12, 3, 3, 0.6f);   // 27 voxels
        cube(p, 15, 2, 15, 3, 0.4f);  // below the threshold
        NewLesionMap map = NewLesionMap.of(GRID.withData(p), 0.5, 0.01);

        assertThat(map.count()).isEqualTo(2);
        assertThat(map.lesions().get(0).voxels()).isEqualTo(64);
        assertThat(map.lesions().get(0).label()).isEqualTo(1);
        assertThat(map.lesions().get(0).volumeMl()).isEqualTo(0.064, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(map.lesions().get(0).meanProbability()).isEqualTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
        // Centre of the 4-cube at voxels 10..13 is 11.5, i.e. 1.5 mm in patient coordinates.
        assertThat(map.lesions().get(0).centroidMm()).containsExactly(1.5, 1.5, 1.5);
        assertThat(map.lesions().get(1).voxels()).isEqualTo(27);
        assertThat(map.totalVolumeMl()).isEqualTo(0.091, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(map.labels().get(11, 11, 11)).isEqualTo(1f);
        assertThat(map.labels().get(4, 13, 4)).isEqualTo(2f);
        assertThat(map.labels().get(2, 2, 2)).as("dropped component").isEqualTo(0f);
    }

    @Test
    void windowsCoverTheWholeSpanAndOverlap() {
        int[] starts = NewLesionSegmenter.starts(5, 200, 64);
        assertThat(starts[0]).isEqualTo(5);
        assertThat(starts[starts.length - 1] + 64).isEqualTo(200);
        for (int s = 1; s < starts.length; s++) {
            assertThat(starts[s] - starts[s - 1]).isBetween(1, 48);
        }
        // A span shorter than a window gets one window centred on it.
        assertThat(NewLesionSegmenter.starts(10, 30, 64)).containsExactly(-12);
    }

    private static void cube(float[] p, int x, int y, int z, int edge, float value) {
        for (int k = z; k < z + edge; k++) {
            for (int j = y; j < y + edge; j++) {
                for (int i = x; i < x + edge; i++) {
                    p[GRID.index(i, j, k)] = value;
                }
            }
        }
    }
}
