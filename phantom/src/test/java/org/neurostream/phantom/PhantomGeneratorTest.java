package org.neurostream.phantom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neurostream.imaging.IntensityNormalizer;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.Volume;

class PhantomGeneratorTest {
    private final PhantomGenerator generator = new PhantomGenerator(2026);

    @Test
    void sameSeedGivesIdenticalVoxels() {
        PhantomPair first = new PhantomGenerator(7).pair(3, true);
        PhantomPair second = new PhantomGenerator(7).pair(3, true);

        assertThat(second.baseline().data()).isEqualTo(first.baseline().data());
        assertThat(second.followUp().data()).isEqualTo(first.followUp().data());
        assertThat(second.brainVolumeChangePercent()).isEqualTo(first.brainVolumeChangePercent());
        assertThat(second.ventricleVolumeChangePercent()).isEqualTo(first.ventricleVolumeChangePercent());
    }

    @Test
    void otherSeedOrSubjectGivesOtherVoxels() {
        float[] reference = new PhantomGenerator(7).single(3).data();

        assertThat(new PhantomGenerator(8).single(3).data()).isNotEqualTo(reference);
        assertThat(new PhantomGenerator(7).single(4).data()).isNotEqualTo(reference);
    }

    @Test
    void singleVisitIsThePairBaselineAndVisitsHaveIndependentNoise() {
        PhantomPair pair = generator.pair(5, false);

        assertThat(generator.single(5).data()).isEqualTo(pair.baseline().data());
        // Stable anatomy, but noise, bias and drift differ: no voxel-identical follow-up.
        assertThat(pair.followUp().data()).isNotEqualTo(pair.baseline().data());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void decliningPairsLoseBrainAndGainVentricleWithinTheRanges(int subject) {
        PhantomPair pair = generator.pair(subject, true);

        assertThat(pair.declining()).isTrue();
        assertThat(pair.brainVolumeChangePercent()).isBetween(-4.0, -1.5);
        assertThat(pair.ventricleVolumeChangePercent()).isBetween(15.0, 40.0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void stablePairsStayWithinTheTolerances(int subject) {
        PhantomPair pair = generator.pair(subject, false);

        assertThat(pair.declining()).isFalse();
        assertThat(pair.brainVolumeChangePercent()).isBetween(-0.4, 0.4);
        assertThat(pair.ventricleVolumeChangePercent()).isBetween(-3.0, 3.0);
    }

    @Test
    void gridIsAxialTwoMillimetreAndCentred() {
        Volume volume = generator.single(1);

        assertThat(new int[] {volume.nx(), volume.ny(), volume.nz()}).containsExactly(128, 128, 80);
        assertThat(volume.spacing()).containsExactly(2.0, 2.0, 2.5);
        assertThat(volume.direction()).containsExactly(Volume.identity());
        assertThat(volume.centre()).containsExactly(0.0, 0.0, 0.0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void headHasRealisticSizeAndSitsInTheMiddle(int subject) {
        Volume labels = generator.baselineLabels(subject);
        double[] extent = TissueStatistics.headExtentMm(labels);

        assertThat(extent[0]).as("left-right").isBetween(130.0, 170.0);
        assertThat(extent[1]).as("anterior-posterior").isBetween(165.0, 215.0);
        assertThat(extent[2]).as("inferior-superior").isBetween(145.0, 195.0);
        double[] centre = TissueStatistics.headCentreMm(labels);
        assertThat(centre).containsExactly(new double[] {0, 0, 0}, within(6.0));
    }

    @Test
    void t1ContrastOrdersWhiteOverGreyOverCsf() {
        Volume labels = generator.baselineLabels(2);
        Volume t1 = generator.single(2);

        double wm = TissueStatistics.meanWhere(t1, labels, TissueLabels.WHITE_MATTER);
        double gm = TissueStatistics.meanWhere(t1, labels, TissueLabels.GREY_MATTER);
        double ventricles = TissueStatistics.meanWhere(t1, labels, TissueLabels.VENTRICLE);
        double background = TissueStatistics.meanWhere(t1, labels, TissueLabels.BACKGROUND);

        assertThat(wm).isGreaterThan(gm * 1.3);
        assertThat(gm).isGreaterThan(ventricles * 2);
        assertThat(ventricles).isGreaterThan(background);
    }

    @Test
    void baselineTissueVolumesAreAdultSized() {
        double[] ml = generator.baselineTissueMillilitres(3);

        assertThat(ml[0]).as("parenchyma ml").isBetween(900.0, 1600.0);
        assertThat(ml[1]).as("ventricles ml").isBetween(10.0, 60.0);
    }

    /**
     * On the change classifier's grid (48^3 at 4 mm, percentile-normalised), a declining follow-up darkens many
     * more voxels (tissue turning into CSF) than a stable one does.
     */
    @Test
    void declineIsVisibleOnTheClassifierGrid() {
        int declining = TissueStatistics.darkenedVoxels(onClassifierGrid(generator.pair(6, true)));
        int stable = TissueStatistics.darkenedVoxels(onClassifierGrid(generator.pair(6, false)));

        assertThat(declining).isGreaterThan(3 * stable + 20);
    }

    private static Volume[] onClassifierGrid(PhantomPair pair) {
        return new Volume[] {classifierInput(pair.baseline()), classifierInput(pair.followUp())};
    }

    private static Volume classifierInput(Volume volume) {
        Volume resampled = Resampler.resampleCentred(volume, new int[] {48, 48, 48}, new double[] {4, 4, 4});
        return IntensityNormalizer.percentileScale(resampled, 1, 99);
    }
}
