package org.neurostream.processor.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neurostream.processor.pairing.SeriesFixtures.t1;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.neurostream.processor.pairing.SeriesKind.Kind;
import org.neurostream.schemas.HistoryEntry;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.PatientHistory;
import org.neurostream.schemas.SeriesReceived;

class PriorSelectorTest {
    private final SeriesReceived first = t1("1.1", "20230105").build();
    private final SeriesReceived second = t1("1.2", "20240110").build();
    private final SeriesReceived third = t1("1.3", "20250112").build();

    private static List<HistoryEntry> history(Kind kind, SeriesReceived... series) {
        return Stream.of(series).map(s -> HistoryEntry.newBuilder().setSeries(s).setKind(kind.name()).build()).toList();
    }

    private static PairingDecision select(List<HistoryEntry> history, SeriesReceived current) {
        return PriorSelector.select(history, current, Kind.T1_3D, PriorRules.DEFAULTS);
    }

    @Test
    void mostRecentEarlierStudyWins() {
        PairingDecision decision = select(history(Kind.T1_3D, first, second, third), third);
        assertThat(decision.prior()).contains(second);
        assertThat(decision.intervalDays()).isEqualTo(368);
        assertThat(decision.reason()).contains("368 days earlier").contains("window 30-1826 days");
    }

    @Test
    void laterStudiesAndTheSameStudyAreNeverPriors() {
        assertThat(select(history(Kind.T1_3D, second, third), first).prior()).isEmpty();
        // Same study, dated earlier (a study spanning midnight): still not a prior of its own follow-up.
        SeriesReceived otherSeriesSameStudy = t1("1.3", "20250111").setSeriesInstanceUid("1.3.2").build();
        assertThat(select(history(Kind.T1_3D, otherSeriesSameStudy), third).prior()).isEmpty();
    }

    @Test
    void onlyTheSameSeriesKindIsAPrior() {
        List<HistoryEntry> mixed = Stream.concat(history(Kind.T1_3D, first).stream(),
                history(Kind.FLAIR_3D, second).stream()).toList();
        assertThat(select(mixed, third).prior()).contains(first);
        assertThat(PriorSelector.select(mixed, third, Kind.FLAIR_3D, PriorRules.DEFAULTS).prior()).contains(second);
    }

    @Test
    void aPriorTooRecentIsPassedOverForAnOlderOneInsideTheWindow() {
        SeriesReceived repeatScan = t1("1.25", "20250101").build(); // 11 days before the follow-up
        PairingDecision decision = select(history(Kind.T1_3D, second, repeatScan), third);
        assertThat(decision.prior()).contains(second);
        assertThat(decision.reason()).contains("1 more recent series outside the window passed over");
    }

    @Test
    void noPriorInsideTheWindowSaysHowNearTheNearestIs() {
        SeriesReceived repeatScan = t1("1.25", "20250101").build();
        PairingDecision decision = select(history(Kind.T1_3D, repeatScan), third);
        assertThat(decision.hasPrior()).isFalse();
        assertThat(decision.reason()).contains("none within the prior window of 30-1826 days")
                .contains("nearest is 11 days before");
        SeriesReceived ancient = t1("1.0", "20150101").build();
        assertThat(select(history(Kind.T1_3D, ancient), third).hasPrior()).isFalse();
        assertThat(PriorSelector.select(history(Kind.T1_3D, ancient), third, Kind.T1_3D, new PriorRules(30, 5000))
                .prior()).contains(ancient);
    }

    @Test
    void amongSeveralSeriesOfThePriorStudyTheLastCompletedWinsWhateverTheOrder() {
        SeriesReceived early = t1("1.2", "20240110").setSeriesInstanceUid("1.2.1").setCompletedAtMillis(10).build();
        SeriesReceived late = t1("1.2", "20240110").setSeriesInstanceUid("1.2.2").setCompletedAtMillis(20).build();
        assertThat(select(history(Kind.T1_3D, early, late), third).prior()).contains(late);
        assertThat(select(history(Kind.T1_3D, late, early), third).prior()).contains(late);
    }

    @Test
    void noPriorSaysWhy() {
        PairingDecision single = select(List.of(), first);
        assertThat(single.hasPrior()).isFalse();
        assertThat(single.reason()).isEqualTo("no prior: no earlier study of this patient has a T1_3D series");
        PairingDecision undated = select(history(Kind.T1_3D, first), t1("1.9", null).build());
        assertThat(undated.reason()).contains("no valid study date");
    }

    @Test
    void historyKeepsOneEntryPerSeriesAndRecognisesResends() {
        PatientHistory history = PatientHistories.with(PatientHistories.empty(), history(Kind.T1_3D, first).get(0));
        assertThat(PatientHistories.merge(history, first)).isEmpty();
        SeriesReceived sameInstancesNewEvent = t1("1.1", "20230105").setEventId("event-again").build();
        assertThat(PatientHistories.merge(history, sameInstancesNewEvent)).isEmpty();
    }

    @Test
    void aLatePartOfASeriesIsMergedNeverReplacesTheWholeSeries() {
        PatientHistory history = PatientHistories.with(PatientHistories.empty(), history(Kind.T1_3D, first).get(0));
        SeriesReceived latePart = t1("1.1", "20230105").setEventId("event-late")
                .setInstances(List.of(InstanceRef.newBuilder(first.getInstances().get(0))
                        .setSopInstanceUid("1.1.s.late").setInstanceNumber(6).build()))
                .setCompletedAtMillis(99).build();
        SeriesReceived merged = PatientHistories.merge(history, latePart).orElseThrow();
        assertThat(merged.getInstances()).hasSize(first.getInstances().size() + 1);
        assertThat(merged.getInstances().get(5).getSopInstanceUid()).isEqualTo("1.1.s.late");
        assertThat(merged.getCompletedAtMillis()).isEqualTo(99);
        assertThat(merged.getEventId()).isNotIn(first.getEventId(), latePart.getEventId())
                .isEqualTo(PatientHistories.merge(history, latePart).orElseThrow().getEventId());
        history = PatientHistories.with(history, history(Kind.T1_3D, merged).get(0));
        assertThat(history.getEntries()).extracting(HistoryEntry::getSeries).containsExactly(merged);
    }
}
