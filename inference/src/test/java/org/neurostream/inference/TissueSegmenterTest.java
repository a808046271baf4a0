package org.neurostream.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.neurostream.imaging.Colin27;
import org.neurostream.imaging.IntensityClusters;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.morphology.Masks;

class TissueSegmenterTest {
    private static final Path SHIPPED = Path.of(System.getProperty("neurostream.repo", "..")).toAbsolutePath()
            .normalize().resolve("models").resolve("tissue-segmentation-model11");

    /**
     * The real pretrained model on the real Colin27 T1, against an independent labelling: 3-class k-means of the
     * intensities inside Debian's brain-extracted ch2bet (CSF, grey, white). The two disagree where k-means cannot
     * know anatomy (deep grey nuclei are as bright as white matter in T1, partial volume at every boundary), so the
     * bar is agreement, not identity.
     */
    @Test
    void greyAndWhiteMatterOnColin27AgreeWithKMeansOnCh2bet() throws IOException {
        Volume t1 = Colin27.t1();
        Volume brain = Colin27.brain();
        boolean[] inBrain = new boolean[brain.voxelCount()];
        for (int n = 0; n < inBrain.length; n++) {
            inBrain[n] = brain.data()[n] > 0;
        }
        Volume kmeans = IntensityClusters.label(t1, inBrain, 3);
        try (TissueSegmenter segmenter = TissueSegmenter.load(SHIPPED)) {
            TissueSegmentation result = segmenter.segment(t1);
            Volume labels = ConformedVolume.nearestOnto(result.labels(), t1);
            double greyDice = Masks.dice(Masks.of(labels, TissueSegmenter.GREY), Masks.of(kmeans, 2));
            double whiteDice = Masks.dice(Masks.of(labels, TissueSegmenter.WHITE), Masks.of(kmeans, 3));
            System.out.printf("model11 on Colin27: grey %.0f mL, white %.0f mL, CSF %.0f mL, ventricles %.0f mL, "
                    + "BPF %.3f; Dice vs k-means on ch2bet: grey %.3f, white %.3f; %d ms (model %d ms)%n",
                    result.greyMl(), result.whiteMl(), result.csfMl(), result.ventriclesMl(),
                    result.brainParenchymalFraction(), greyDice, whiteDice, result.elapsed().toMillis(),
                    result.inference().toMillis());
            // Measured: grey 0.866, white 0.894 (894 / 668 / 171 mL, BPF 0.902). With the conformed grid exactly
            // centred (half a voxel off Colin27's voxels, so blurred in and shifted on the way back) it was
            // 0.788 / 0.848: the bounds catch that coming back.
            assertThat(whiteDice).isGreaterThanOrEqualTo(0.87);
            assertThat(greyDice).isGreaterThanOrEqualTo(0.84);
            assertThat(result.greyMl()).isBetween(750.0, 1000.0);
            assertThat(result.whiteMl()).isBetween(600.0, 800.0);
            assertThat(result.brainParenchymalFraction()).isBetween(0.8, 0.97);
            assertThat(result.labels().data()).containsOnly(0f, TissueSegmenter.CSF, TissueSegmenter.GREY,
                    TissueSegmenter.WHITE);
            assertThat(result.model().name()).isEqualTo("tissue-segmentation-model11");
        }
    }

    /**
     * Global atrophy with a known answer: the same head shrunk by 2% along every axis has 0.98^3 of the volume,
     * a PBVC of -5.88%, which the real model must measure from the two visits. Both visits get voxels off 1 mm
     * (1.01 mm, then 0.98 of that), so both are interpolated onto the model's 1 mm grid: a visit already at 1 mm is
     * copied unblurred, and against an interpolated one that difference alone read as 1 point less atrophy.
     */
    @Test
    void aHeadShrunkByTwoPercentPerAxisGivesItsPercentBrainVolumeChange() throws IOException {
        double factor = 0.98;
        Volume prior = scaled(Colin27.t1(), 1.01);
        Volume shrunk = scaled(Colin27.t1(), 1.01 * factor);
        try (TissueSegmenter segmenter = TissueSegmenter.load(SHIPPED)) {
            TissueSegmentation before = segmenter.segment(prior);
            TissueSegmentation followUp = segmenter.segment(shrunk);
            double expected = 100 * (Math.pow(factor, 3) - 1);
            double pbvc = followUp.percentChangeFrom(before);
            System.out.printf("PBVC of a 2%%-per-axis shrink: %.2f%% (expected %.2f%%); BPF %.3f -> %.3f%n", pbvc,
                    expected, before.brainParenchymalFraction(), followUp.brainParenchymalFraction());
            // Measured: -5.98% (-6.66% when the 1 mm prior was exactly centred, so blurred, and the follow-up
            // not). Shrinking the voxels also sharpens the image relative to the 1 mm grid the model sees, which moves
            // the segmentation's edge; atrophy that leaves the voxels alone (the phantoms) does not have this
            // confound.
            assertThat(pbvc).isCloseTo(expected, org.assertj.core.data.Offset.offset(1.0));
        }
    }

    /** The same voxels, each {@code factor} times as large, about the same patient origin. */
    private static Volume scaled(Volume t1, double factor) {
        double[] spacing = t1.spacing().clone();
        double[] origin = t1.origin().clone();
        for (int a = 0; a < 3; a++) {
            spacing[a] *= factor;
            origin[a] *= factor;
        }
        return new Volume(t1.nx(), t1.ny(), t1.nz(), spacing, origin, t1.direction(), t1.data());
    }
}
