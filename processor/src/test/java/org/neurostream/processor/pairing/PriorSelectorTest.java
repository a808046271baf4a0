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
        // Same study, dated earlier (a study spanning midnight): still not a prior of its own follow-up.
        SeriesReceived otherSeriesSameStudy = t1("1.3", "20250111").setSeriesInstanceUid("1.3.2").build();
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
        assertThat(PatientHistories.merge(history, first)).isEmpty();
        SeriesReceived sameInstancesNewEvent = t1("1.1", "20230105").setEventId("event-again").build();
        assertThat(PatientHistories.merge(history, sameInstancesNewEvent)).isEmpty();
    }

    @Test
    void aLatePartOfASeriesIsMergedNeverReplacesTheWholeSeries() {
        var history = PatientHistories.with(PatientHistories.empty(), first);
        SeriesReceived latePart = t1("1.1", "20230105").setEventId("event-late")
                .setInstances(List.of(org.neurostream.schemas.InstanceRef.newBuilder(first.getInstances().get(0))
                        .setSopInstanceUid("1.1.s.late").setInstanceNumber(6).build()))
                .setCompletedAtMillis(99).build();
        SeriesReceived merged = PatientHistories.merge(history, latePart).orElseThrow();
        assertThat(merged.getInstances()).hasSize(first.getInstances().size() + 1);
        assertThat(merged.getInstances().get(5).getSopInstanceUid()).isEqualTo("1.1.s.late");
        assertThat(merged.getCompletedAtMillis()).isEqualTo(99);
        assertThat(merged.getEventId()).isNotIn(first.getEventId(), latePart.getEventId())
                .isEqualTo(PatientHistories.merge(history, latePart).orElseThrow().getEventId());
        history = PatientHistories.with(history, merged);
        assertThat(history.getSeries()).containsExactly(merged);
    }
}
