package org.neurostream.phantom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.imaging.NiftiReader;
import org.neurostream.imaging.Volume;

class ColinPhantomGeneratorTest {
    /** One 1 mm declining pair: everything its truth says is in its images. */
    @Test
    void aDecliningPairShowsItsKnownChange(@TempDir Path dir) throws Exception {
        ColinPhantomGenerator.Pair pair = new ColinPhantomGenerator(11).pair(1, true);
        ColinPhantomGenerator.Truth t = pair.truth();
        System.out.printf("declining pair: PBVC %.2f%%, parenchyma %.0f -> %.0f mL, ventricles %.1f -> %.1f mL, "
                + "%d new lesions %.2f mL%n", t.pbvcPercent(), t.priorParenchymaMl(), t.currentParenchymaMl(),
                t.priorVentriclesMl(), t.currentVentriclesMl(), t.newLesions().size(), t.newLesionVolumeMl());

        assertThat(t.declining()).isTrue();
        assertThat(t.pbvcPercent()).isBetween(-3.5, ColinPhantomGenerator.DECLINE_THRESHOLD_PBVC);
        // A real adult brain: Colin27's parenchyma is ~1.5 L.
        assertThat(t.priorParenchymaMl()).isBetween(1300.0, 1800.0);
        assertThat(t.currentVentriclesMl()).isGreaterThan(t.priorVentriclesMl());

        Volume followUp = pair.followUp().flair();
        Volume labels = pair.followUp().labels();
        float[] lesion = pair.newLesionMask().data();
        double inLesion = 0;
        double inWhite = 0;
        long lesionVoxels = 0;
        long whiteVoxels = 0;
        long lesionInWhiteOrLesion = 0;
        for (int n = 0; n < lesion.length; n++) {
            if (lesion[n] > 0) {
                inLesion += followUp.data()[n];
                lesionVoxels++;
                lesionInWhiteOrLesion += labels.data()[n] == ColinAnatomy.WHITE ? 1 : 0;
            } else if (labels.data()[n] == ColinAnatomy.WHITE && pair.followUp().lesions().data()[n] == 0) {
                inWhite += followUp.data()[n];
                whiteVoxels++;
            }
        }
        assertThat(t.newLesions()).isNotEmpty();
        assertThat(lesionVoxels * 0.001).isCloseTo(t.newLesionVolumeMl(), org.assertj.core.data.Offset.offset(1e-9));
        // New lesions are white-matter lesions and FLAIR-hyperintense: about twice the white matter's signal.
        assertThat((double) lesionInWhiteOrLesion / lesionVoxels).isGreaterThan(0.95);
        assertThat(inLesion / lesionVoxels).isGreaterThan(1.5 * inWhite / whiteVoxels);
        // The baseline does not have them.
        for (int n = 0; n < lesion.length; n++) {
            if (lesion[n] > 0) {
                assertThat(pair.baseline().lesions().data()[n] == 0 || labels.data()[n] != 0).isTrue();
            }
        }

        ColinTruthWriter.write(pair, dir);
        // Arrays.equals, not containsExactly: AssertJ diffs element lists in quadratic time, hopeless on 7 M voxels.
        assertThat(java.util.Arrays.equals(NiftiReader.read(dir.resolve("new-lesions.nii.gz")).data(), lesion)).isTrue();
        assertThat(java.nio.file.Files.readString(dir.resolve("truth.json")))
                .contains("\"newLesionCount\": " + t.newLesions().size()).contains("\"declining\": true");
    }

    @Test
    void aStablePairStaysOnItsSideOfTheThresholdAndPairsAreDeterministic() {
        ColinPhantomGenerator.Pair stable = new ColinPhantomGenerator(11, 2.0).pair(2, false);
        assertThat(stable.truth().declining()).isFalse();
        assertThat(stable.truth().pbvcPercent()).isBetween(ColinPhantomGenerator.DECLINE_THRESHOLD_PBVC, 0.5);
        ColinPhantomGenerator.Pair again = new ColinPhantomGenerator(11, 2.0).pair(2, false);
        assertThat(java.util.Arrays.equals(again.followUp().t1().data(), stable.followUp().t1().data())).isTrue();
        assertThat(again.truth().pbvcPercent()).isEqualTo(stable.truth().pbvcPercent());
        ColinPhantomGenerator.Pair other = new ColinPhantomGenerator(12, 2.0).pair(2, false);
        assertThat(other.baseline().t1().data()).isNotEqualTo(stable.baseline().t1().data());
    }
}
