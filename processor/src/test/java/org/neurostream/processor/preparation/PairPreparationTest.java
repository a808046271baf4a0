package org.neurostream.processor.preparation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neurostream.imaging.Colin27;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.imaging.registration.RigidTransform;
import org.neurostream.schemas.Preparation;

/**
 * Preparation of a pair made from the real Colin27 head at 2 mm: the follow-up is moved and stored in another
 * voxel order; preparation must record both orientations, time every step, bring the follow-up back onto the
 * baseline, and refuse a pair that does not show the same anatomy.
 */
class PairPreparationTest {
    private static final Volume BASELINE = Resampler.resampleCentred(Colin27.t1(), new int[] {96, 112, 96},
            new double[] {2, 2, 2});
    private final PairPreparation preparation = new PairPreparation(Optional.empty(),
            new RigidRegistration(RigidRegistration.Options.defaults().withLevels(4, 2)), 0.3);

    @Test
    void aMovedFollowUpStoredInAnotherOrderIsBroughtBackOntoTheBaseline() throws Exception {
        RigidTransform motion = RigidTransform.of(4, -3, 5, new double[] {6, -4, 3}, BASELINE.centre());
        Volume followUp = Resampler.resampleOnto(BASELINE, BASELINE, motion);
        Map<String, Long> stages = new LinkedHashMap<>();

        PairPreparation.PreparedPair prepared = preparation.prepare(BASELINE, followUp, stages);

        Preparation record = prepared.record();
        assertThat(record.getPriorOrientation()).isEqualTo("RAS"); // Colin27 is stored as NIfTI RAS
        assertThat(record.getCurrentOrientation()).isEqualTo("RAS");
        assertThat(stages).containsKeys("reorient-prior", "reorient-current", "registration");
        assertThat(record.getRegistration().getSimilarityAfter()).isGreaterThan(0.95)
                .isGreaterThan(record.getRegistration().getSimilarityBefore());
        // Registration maps baseline points to follow-up points: the inverse of the motion that made the follow-up.
        RigidTransform expected = motion.inverse().withCentre(prepared.baseline().centre());
        for (int a = 0; a < 3; a++) {
            assertThat(record.getRegistration().getRotationDegrees().get(a))
                    .isCloseTo(expected.anglesDegrees()[a], within(1.0));
            assertThat(record.getRegistration().getTranslationMm().get(a))
                    .isCloseTo(expected.translationMm()[a], within(1.0));
        }
        // Brought back onto the baseline, the follow-up matches it voxel for voxel (up to interpolation).
        Volume back = prepared.followUpOnBaseline();
        assertThat(back.nx()).isEqualTo(prepared.baseline().nx());
        assertThat(correlation(back, prepared.baseline())).isGreaterThan(0.95);
        assertThat(prepared.baseline().direction()).containsExactly(Volume.identity());
    }

    private static double correlation(Volume a, Volume b) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = a.voxelCount();
        for (int v = 0; v < n; v++) {
            double x = a.data()[v];
            double y = b.data()[v];
            sa += x;
            sb += y;
            saa += x * x;
            sbb += y * y;
            sab += x * y;
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
    }

    private static float[] shuffledBlocks(Volume v, int block, Random random) {
        int bx = v.nx() / block;
        int by = v.ny() / block;
        int bz = v.nz() / block;
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int b = 0; b < bx * by * bz; b++) {
            order.add(b);
        }
        java.util.Collections.shuffle(order, random);
        float[] out = new float[v.voxelCount()];
        for (int b = 0; b < order.size(); b++) {
            int from = order.get(b);
            int fi = from % bx * block;
            int fj = from / bx % by * block;
            int fk = from / (bx * by) * block;
            int ti = b % bx * block;
            int tj = b / bx % by * block;
            int tk = b / (bx * by) * block;
            for (int k = 0; k < block; k++) {
                for (int j = 0; j < block; j++) {
                    for (int i = 0; i < block; i++) {
                        out[v.index(ti + i, tj + j, tk + k)] = v.get(fi + i, fj + j, fk + k);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aPairThatDoesNotShowTheSameAnatomyIsRefusedWithTheReason() {
        // Another "head": the baseline's voxels in a scrambled order, blocks of 8 mm shuffled, so intensities and
        // the outline of the field of view stay plausible but no anatomy matches.
        Volume unrelated = BASELINE.withData(shuffledBlocks(BASELINE, 4, new Random(7)));
        assertThatThrownBy(() -> preparation.prepare(BASELINE, unrelated, new LinkedHashMap<>()))
                .isInstanceOf(PairPreparation.PreparationException.class)
                .hasMessageContaining("registration quality check failed")
                .hasMessageContaining("below 0.30");
    }
}
