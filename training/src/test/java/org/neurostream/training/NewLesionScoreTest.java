package org.neurostream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.neurostream.imaging.Volume;
import org.neurostream.inference.lesions.NewLesionMap;

class NewLesionScoreTest {
    private static final Volume GRID = Volume.zeros(30, 30, 30, new double[] {1, 1, 1}, new double[] {0, 0, 0});

    @Test
    void aFoundLesionTouchingATrueOneIsAHitOthersAreFalseOrMissed() {
        float[] truth = new float[GRID.voxelCount()];
        cube(truth, 2, 2, 2, 4, 1);    // found, half overlapped
        cube(truth, 20, 20, 20, 3, 1); // missed
        float[] p = new float[GRID.voxelCount()];
        cube(p, 4, 2, 2, 4, 0.9f);     // overlaps the first true lesion on 2 of its 4 columns
        cube(p, 12, 12, 12, 3, 0.9f);  // false positive
        NewLesionScore score = NewLesionScore.of(NewLesionMap.of(GRID.withData(p), 0.5, 0.001), GRID.withData(truth));

        assertThat(score.predicted()).isEqualTo(2);
        assertThat(score.predictedHits()).isEqualTo(1);
        assertThat(score.truth()).isEqualTo(2);
        assertThat(score.truthFound()).isEqualTo(1);
        assertThat(score.precision()).isEqualTo(0.5);
        assertThat(score.recall()).isEqualTo(0.5);
        assertThat(score.lesionF1()).isEqualTo(0.5, offset(1e-12));
        // overlap 2*4*4 = 32 voxels; found 64 + 27, true 64 + 27
        assertThat(score.voxelDice()).isEqualTo(2.0 * 32 / (91 + 91), offset(1e-12));
    }

    @Test
    void scoresAddUpByCountsAndAnEmptyPairIsPerfect() {
        Volume empty = GRID.withData(new float[GRID.voxelCount()]);
        NewLesionScore none = NewLesionScore.of(NewLesionMap.of(empty, 0.5, 0.01), empty);
        assertThat(none.lesionF1()).isEqualTo(1);
        assertThat(none.voxelDice()).isEqualTo(1);
        NewLesionScore a = new NewLesionScore(2, 2, 3, 2, 10, 12, 14);
        NewLesionScore b = new NewLesionScore(1, 0, 0, 0, 0, 5, 0);
        NewLesionScore sum = a.plus(b).plus(none);
        assertThat(sum.precision()).isEqualTo(2.0 / 3);
        assertThat(sum.recall()).isEqualTo(2.0 / 3);
        assertThat(sum.voxelDice()).isEqualTo(20.0 / 31, offset(1e-12));
    }

    private static void cube(float[] v, int x, int y, int z, int edge, float value) {
        for (int k = z; k < z + edge; k++) {
            for (int j = y; j < y + edge; j++) {
                for (int i = x; i < x + edge; i++) {
                    v[GRID.index(i, j, k)] = value;
                }
            }
        }
    }
}
