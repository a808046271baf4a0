package org.neurostream.processor.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neurostream.processor.pairing.SeriesFixtures.t1;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurostream.schemas.SeriesReceived;

class PriorSelectorTest {
    private final SeriesReceived first = t1("1.1", "20230105").build();
    private final SeriesReceived second = t1("1.2", "20240110").build();
    private final SeriesReceived third = t1("1.3", "20250112").build();

    @Test
    void mostRecentEarlierStudyWins() {
        PairingDecision decision = PriorSelector.select(List.of(first, second, third), third);
        assertThat(decision.prior()).contains(second);
        assertThat(decision.intervalDays()).isEqualTo(368);
        assertThat(decision.reason()).contains("368 days");
    }

    @Test
    void laterStudiesAndTheSameStudyAreNeverPriors() {
        assertThat(PriorSelector.select(List.of(second, third), first).prior()).isEmpty();
        SeriesReceived otherSeriesSameStudy = t1("1.3", "20250112").setSeriesInstanceUid("1.3.2").build();
        assertThat(PriorSelector.select(List.of(otherSeriesSameStudy), third).prior()).isEmpty();
    }

    @Test
    void nonT1PriorsAreSkipped() {
        SeriesReceived flair = t1("1.2", "20240110").setSeriesDescription("AX FLAIR").build();
        assertThat(PriorSelector.select(List.of(first, flair), third).prior()).contains(first);
    }

    @Test
    void noPriorSaysWhy() {
        PairingDecision single = PriorSelector.select(List.of(), first);
        assertThat(single.hasPrior()).isFalse();
        assertThat(single.reason()).startsWith("no prior");
        PairingDecision undated = PriorSelector.select(List.of(first), t1("1.9", null).build());
        assertThat(undated.reason()).contains("no valid study date");
    }

    @Test
    void historyKeepsOneEntryPerSeriesAndRecognisesResends() {
        var history = PatientHistories.with(PatientHistories.empty(), first);
        assertThat(PatientHistories.contains(history, first)).isTrue();
        SeriesReceived grown = t1("1.1", "20230105").setEventId("event-1.1-more").build();
        assertThat(PatientHistories.contains(history, grown)).isFalse();
        history = PatientHistories.with(history, grown);
        assertThat(history.getSeries()).containsExactly(grown);
    }
}
