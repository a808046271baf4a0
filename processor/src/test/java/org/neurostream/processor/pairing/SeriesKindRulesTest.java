package org.neurostream.processor.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neurostream.processor.pairing.SeriesFixtures.t1;

import org.junit.jupiter.api.Test;

class SeriesKindRulesTest {
    @Test
    void a3dT1OfTheBrainIsAnalysed() {
        assertThat(SeriesKindRules.classify(t1("1", "20250101").build()).isT1()).isTrue();
        assertThat(SeriesKindRules.classify(t1("1", "20250101").setSeriesDescription("sag BRAVO").build()).isT1()).isTrue();
    }

    @Test
    void everythingElseIsIgnoredWithItsReason() {
        assertThat(SeriesKindRules.classify(t1("1", "20250101").setModality("CT").build()).reason())
                .contains("not MR");
        assertThat(SeriesKindRules.classify(t1("1", "20250101").setImageType("DERIVED\\SECONDARY").build()).reason())
                .contains("not an original acquisition");
        assertThat(SeriesKindRules.classify(t1("1", "20250101").setSeriesDescription("3-plane LOC")
                .setImageType("ORIGINAL\\PRIMARY\\LOCALIZER").build()).isT1()).isFalse();
        assertThat(SeriesKindRules.classify(t1("1", "20250101").setSeriesDescription("AX FLAIR").build()).reason())
                .contains("T1");
        assertThat(SeriesKindRules.classify(t1("1", "20250101").setMrAcquisitionType("2D").build()).reason())
                .contains("not 3D");
        assertThat(SeriesKindRules.classify(t1("1", "20250101").setBodyPartExamined("KNEE").build()).reason())
                .contains("not the brain");
    }
}
