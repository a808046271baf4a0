package org.neurostream.processor.pairing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.neurostream.processor.pairing.SeriesFixtures.t1;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neurostream.processor.pairing.SeriesKind.Kind;
import org.neurostream.schemas.PatientHistory;
import org.neurostream.schemas.SeriesReceived;

/**
 * Order independence of pairing: whatever order a patient's series arrive in, with re-sends, the live results
 * end the same as with in-order arrival, and no pair is ever answered twice.
 */
class PatientPairingTest {
    private static final PatientPairing NO_FETCH = new PatientPairing(SeriesKindRules.defaults(), PriorRules.DEFAULTS,
            Set.of(Kind.T1_3D), Optional.empty());

    /** Five visits six months apart, a repeat scan ten days after visit 3, and what else a study holds. */
    private static List<SeriesReceived> fiveVisitHistory() {
        List<SeriesReceived> series = new ArrayList<>();
        String[] dates = {"20210110", "20210712", "20220111", "20220709", "20230112"};
        for (int v = 0; v < dates.length; v++) {
            String study = "2.25.10" + v;
            series.add(t1(study, dates[v]).build());
            series.add(t1(study, dates[v]).setSeriesInstanceUid(study + ".2").setEventId("event-flair-" + v)
                    .setSeriesDescription("AX T2 FLAIR").setMrAcquisitionType("2D").build());
            series.add(t1(study, dates[v]).setSeriesInstanceUid(study + ".0").setEventId("event-loc-" + v)
                    .setSeriesDescription("3-plane localizer").build());
            if (v == 2) {
                // A repeat scan ten days after visit 3: too close to be compared with it, the prior of visit 4.
                series.add(t1("2.25.1025", "20220121").build());
            }
        }
        return series;
    }

    /** Feeds series in order, recording results as the processor would; checks supersession on the way. */
    private static Map<String, String> run(List<SeriesReceived> arrivals, List<String> emitted) {
        PatientHistory history = PatientHistories.empty();
        Map<String, String> live = new HashMap<>();
        for (SeriesReceived s : arrivals) {
            PatientPairing.Step step = NO_FETCH.accept(history, s, 0);
            history = step.history();
            for (PairingDecision d : step.decisions()) {
                String follow = d.current().getSeriesInstanceUid();
                assertThat(d.supersedes()).as("supersedes names the live result of %s", follow)
                        .isEqualTo(Optional.ofNullable(live.get(follow)));
                String resultId = d.prior().map(p -> p.getSeriesInstanceUid() + " <- ").orElse("none <- ") + follow;
                assertThat(emitted).as("a pair is answered once").doesNotContain(resultId);
                emitted.add(resultId);
                live.put(follow, resultId);
                history = PatientPairing.recorded(history, d, resultId);
            }
        }
        return live;
    }

    @Test
    void inOrderArrivalPairsEachVisitWithTheMostRecentEligiblePriorAndSupersedesNothing() {
        List<String> emitted = new ArrayList<>();
        Map<String, String> live = run(fiveVisitHistory(), emitted);
        assertThat(live).containsOnly(
                Map.entry("2.25.100.1", "none <- 2.25.100.1"),
                Map.entry("2.25.101.1", "2.25.100.1 <- 2.25.101.1"),
                Map.entry("2.25.102.1", "2.25.101.1 <- 2.25.102.1"),
                Map.entry("2.25.1025.1", "2.25.101.1 <- 2.25.1025.1"),
                Map.entry("2.25.103.1", "2.25.1025.1 <- 2.25.103.1"),
                Map.entry("2.25.104.1", "2.25.103.1 <- 2.25.104.1"));
        assertThat(emitted).hasSize(live.size());
    }

    @Test
    void everyRandomArrivalOrderWithResendsEndsInTheSamePairs() {
        List<SeriesReceived> inOrder = fiveVisitHistory();
        Map<String, String> expected = run(inOrder, new ArrayList<>());
        Random random = new Random(20261123);
        Set<List<String>> ordersSeen = new HashSet<>();
        for (int trial = 0; trial < 500; trial++) {
            List<SeriesReceived> arrivals = new ArrayList<>(inOrder);
            // Re-sends: some series twice, some three times; a re-send carries a new event id.
            for (SeriesReceived s : inOrder) {
                int copies = random.nextInt(3);
                for (int c = 0; c < copies; c++) {
                    arrivals.add(SeriesReceived.newBuilder(s).setEventId(s.getEventId() + "-again-" + c).build());
                }
            }
            Collections.shuffle(arrivals, random);
            ordersSeen.add(arrivals.stream().map(SeriesReceived::getSeriesInstanceUid).toList());
            assertThat(run(arrivals, new ArrayList<>())).as("trial %d", trial).isEqualTo(expected);
        }
        assertThat(ordersSeen).hasSizeGreaterThan(490);
    }

    @Test
    void aLatePriorSupersedesTheNoPriorResultOfItsFollowUp() {
        List<SeriesReceived> history = fiveVisitHistory();
        SeriesReceived visit1 = history.get(0);
        SeriesReceived visit2 = history.get(3);
        assertThat(visit2.getStudyDate()).isEqualTo("20210712");
        PatientPairing.Step first = NO_FETCH.accept(PatientHistories.empty(), visit2, 0);
        assertThat(first.decisions()).singleElement().satisfies(d -> assertThat(d.hasPrior()).isFalse());
        PatientHistory h = PatientPairing.recorded(first.history(), first.decisions().get(0), "r-none");
        PatientPairing.Step late = NO_FETCH.accept(h, visit1, 0);
        assertThat(late.decisions()).hasSize(2).anySatisfy(d -> {
            assertThat(d.current()).isEqualTo(visit2);
            assertThat(d.prior()).contains(visit1);
            assertThat(d.supersedes()).contains("r-none");
        }).anySatisfy(d -> {
            assertThat(d.current()).isEqualTo(visit1);
            assertThat(d.supersedes()).isEmpty();
        });
    }

    @Test
    void withoutAPriorAFetchIsRequestedAndTheFollowUpWaitsForItOrForItsEnd() {
        PatientPairing fetching = new PatientPairing(SeriesKindRules.defaults(), PriorRules.DEFAULTS,
                Set.of(Kind.T1_3D), Optional.of(Duration.ofMinutes(10)));
        SeriesReceived visit1 = t1("3.1", "20220101").build();
        SeriesReceived visit2 = t1("3.2", "20230101").build();

        PatientPairing.Step asked = fetching.accept(PatientHistories.empty(), visit2, 1_000);
        assertThat(asked.decisions()).isEmpty();
        assertThat(asked.fetches()).singleElement().satisfies(f -> {
            assertThat(f.followUp()).isEqualTo(visit2);
            assertThat(f.knownStudyUids()).containsExactly("3.2");
        });
        assertThat(PatientHistories.find(asked.history(), "3.2.1").orElseThrow().getPriorFetch().getDeadlineMillis())
                .isEqualTo(1_000 + 600_000);

        // The retrieved prior arrives: the follow-up is paired, the wait ends, and the prior asks for nothing.
        PatientPairing.Step arrived = fetching.accept(asked.history(), visit1, 2_000);
        assertThat(arrived.fetchesEnded()).containsExactly("3.2.1");
        assertThat(arrived.decisions()).filteredOn(d -> d.current().equals(visit2)).singleElement()
                .satisfies(d -> assertThat(d.prior()).contains(visit1));

        // Or the PACS has nothing: "no prior" with the PACS's answer, and no second fetch ever.
        PatientPairing.Step ended = fetching.fetchEnded(asked.history(), "3.2.1", "the PACS has no earlier MR study",
                3_000);
        assertThat(ended.decisions()).singleElement().satisfies(d -> {
            assertThat(d.hasPrior()).isFalse();
            assertThat(d.reason()).contains("no prior").contains("PACS: the PACS has no earlier MR study");
        });
        PatientHistory h = PatientPairing.recorded(ended.history(), ended.decisions().get(0), "r-none");
        assertThat(fetching.accept(h, t1("3.3", "20240101").build(), 4_000).fetches()).isEmpty();
    }

    @Test
    void seriesOfAKindNoModelAnalysesAreKeptButNotAnswered() {
        SeriesReceived flair = t1("4.1", "20220101").setSeriesDescription("3D FLAIR").build();
        PatientPairing.Step step = NO_FETCH.accept(PatientHistories.empty(), flair, 0);
        assertThat(step.kind().kind()).isEqualTo(Kind.FLAIR_3D);
        assertThat(step.decisions()).isEmpty();
        assertThat(step.history().getEntries()).hasSize(1);
        assertThat(NO_FETCH.accept(step.history(), t1("4.2", "20220101").setSeriesDescription("DWI").build(), 0)
                .history()).isSameAs(step.history());
    }
}
