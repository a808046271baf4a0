package org.neurostream.processor.pairing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.neurostream.schemas.HistoryEntry;
import org.neurostream.schemas.Pairing;
import org.neurostream.schemas.PatientHistory;
import org.neurostream.schemas.PriorFetch;
import org.neurostream.schemas.SeriesReceived;

/**
 * The pairing rules applied to one patient's history, with no Kafka in sight. Whatever order series arrive in
 * (a prior after its follow-up, a historical backfill, re-sends), every follow-up ends paired with the prior that
 * in-order arrival would have given it: each arrival re-examines every follow-up of the same kind, and a follow-up
 * whose best prior changed gets a new decision that supersedes its previous result. When a follow-up has no prior
 * and fetching is enabled, the decision waits for a PACS retrieve (or its deadline) instead of saying "no prior".
 */
public final class PatientPairing {
    private final SeriesKindRules kinds;
    private final PriorRules priors;
    private final Set<SeriesKind.Kind> analysedKinds;
    private final Optional<Duration> fetchTimeout;

    /**
     * @param analysedKinds the kinds a model analyses; other pairable kinds are kept in the history (so a prior is
     *                      there when a model for them is configured) but produce no decisions
     * @param fetchTimeout  how long a follow-up waits for a prior fetched from the PACS; empty: no fetching
     */
    public PatientPairing(SeriesKindRules kinds, PriorRules priors, Set<SeriesKind.Kind> analysedKinds,
            Optional<Duration> fetchTimeout) {
        this.kinds = kinds;
        this.priors = priors;
        this.analysedKinds = Set.copyOf(analysedKinds);
        this.fetchTimeout = fetchTimeout;
    }

    /** A PACS retrieve to start for a follow-up with no prior in its history. */
    public record FetchRequest(SeriesReceived followUp, SeriesKind.Kind kind, PriorRules window,
            List<String> knownStudyUids) {
    }

    /**
     * What an event or a fetch ending leads to: the new history, the decisions to analyse (each must then be
     * {@link #recorded}), fetches to start, and the series whose wait for a fetched prior is over.
     */
    public record Step(PatientHistory history, SeriesKind kind, List<PairingDecision> decisions,
            List<FetchRequest> fetches, List<String> fetchesEnded) {
    }

    /** Takes in a series event. Ignored kinds and re-sends change nothing. */
    public Step accept(PatientHistory history, SeriesReceived event, long nowMillis) {
        SeriesKind kind = kinds.classify(event);
        if (!kind.isPairable()) {
            return new Step(history, kind, List.of(), List.of(), List.of());
        }
        Optional<SeriesReceived> merged = PatientHistories.merge(history, event);
        if (merged.isEmpty()) {
            return new Step(history, kind, List.of(), List.of(), List.of());
        }
        HistoryEntry previous = PatientHistories.find(history, event.getSeriesInstanceUid()).orElse(null);
        HistoryEntry entry = HistoryEntry.newBuilder()
                .setSeries(merged.get())
                .setKind(kind.kind().name())
                .setPairing(previous == null ? null : previous.getPairing())
                .setPriorFetch(previous == null ? null : previous.getPriorFetch())
                .build();
        return reconsider(PatientHistories.with(history, entry), kind, nowMillis);
    }

    /** Ends the wait for a fetched prior (deadline passed, or the PACS had nothing): the follow-up gets its answer. */
    public Step fetchEnded(PatientHistory history, String seriesInstanceUid, String why, long nowMillis) {
        Optional<HistoryEntry> entry = PatientHistories.find(history, seriesInstanceUid);
        if (entry.isEmpty() || !isWaiting(entry.get())) {
            return new Step(history, null, List.of(), List.of(), List.of());
        }
        PriorFetch fetch = PriorFetch.newBuilder(entry.get().getPriorFetch()).setOutcome(why).build();
        PatientHistory next = PatientHistories.with(history,
                HistoryEntry.newBuilder(entry.get()).setPriorFetch(fetch).build());
        // The kind recorded when the series arrived: a rules change since then must not move it to another kind.
        SeriesKind recorded = new SeriesKind(SeriesKind.Kind.valueOf(entry.get().getKind()), "as recorded");
        Step step = reconsider(next, recorded, nowMillis);
        List<String> ended = new ArrayList<>(step.fetchesEnded());
        ended.add(seriesInstanceUid);
        return new Step(step.history(), step.kind(), step.decisions(), step.fetches(), ended);
    }

    /** Notes which result now answers a decision, so later arrivals know what they supersede. */
    public static PatientHistory recorded(PatientHistory history, PairingDecision decision, String resultId) {
        HistoryEntry entry = PatientHistories.find(history, decision.current().getSeriesInstanceUid())
                .orElseThrow(() -> new IllegalStateException("decision for a series not in the history"));
        Pairing pairing = Pairing.newBuilder()
                .setCurrentEventId(decision.current().getEventId())
                .setPriorSeriesInstanceUid(decision.prior().map(SeriesReceived::getSeriesInstanceUid).orElse(null))
                .setPriorEventId(decision.prior().map(SeriesReceived::getEventId).orElse(null))
                .setResultId(resultId)
                .build();
        return PatientHistories.with(history, HistoryEntry.newBuilder(entry).setPairing(pairing).build());
    }

    private Step reconsider(PatientHistory history, SeriesKind kind, long nowMillis) {
        List<PairingDecision> decisions = new ArrayList<>();
        List<FetchRequest> fetches = new ArrayList<>();
        List<String> ended = new ArrayList<>();
        PatientHistory next = history;
        if (!analysedKinds.contains(kind.kind())) {
            return new Step(next, kind, decisions, fetches, ended);
        }
        for (HistoryEntry entry : history.getEntries()) {
            if (!entry.getKind().equals(kind.kind().name())) {
                continue;
            }
            PairingDecision best = PriorSelector.select(history.getEntries(), entry.getSeries(), kind.kind(), priors);
            Pairing live = entry.getPairing();
            if (isWaiting(entry)) {
                if (!best.hasPrior()) {
                    continue; // still waiting for the fetched prior
                }
                // The prior arrived (fetched or not): the wait is over.
                ended.add(entry.getSeries().getSeriesInstanceUid());
                next = PatientHistories.with(next, HistoryEntry.newBuilder(entry).setPriorFetch(
                        PriorFetch.newBuilder(entry.getPriorFetch()).setOutcome("a prior arrived").build()).build());
            } else if (live == null && !best.hasPrior() && fetchTimeout.isPresent() && entry.getPriorFetch() == null) {
                next = PatientHistories.with(next, HistoryEntry.newBuilder(entry).setPriorFetch(PriorFetch.newBuilder()
                        .setStartedAtMillis(nowMillis)
                        .setDeadlineMillis(nowMillis + fetchTimeout.get().toMillis())
                        .build()).build());
                fetches.add(new FetchRequest(entry.getSeries(), kind.kind(), priors, knownStudies(history)));
                continue;
            }
            if (live != null && sameAs(live, best)) {
                continue;
            }
            PairingDecision decision = best;
            if (!best.hasPrior() && entry.getPriorFetch() != null && entry.getPriorFetch().getOutcome() != null) {
                decision = best.withReason(best.reason() + "; PACS: " + entry.getPriorFetch().getOutcome());
            }
            decisions.add(live == null ? decision : decision.superseding(live.getResultId()));
        }
        return new Step(next, kind, decisions, fetches, ended);
    }

    private static boolean isWaiting(HistoryEntry entry) {
        return entry.getPriorFetch() != null && entry.getPriorFetch().getOutcome() == null;
    }

    private static boolean sameAs(Pairing live, PairingDecision best) {
        return live.getCurrentEventId().equals(best.current().getEventId())
                && Objects.equals(live.getPriorSeriesInstanceUid(),
                        best.prior().map(SeriesReceived::getSeriesInstanceUid).orElse(null))
                && Objects.equals(live.getPriorEventId(), best.prior().map(SeriesReceived::getEventId).orElse(null));
    }

    private static List<String> knownStudies(PatientHistory history) {
        return history.getEntries().stream().map(e -> e.getSeries().getStudyInstanceUid()).distinct().toList();
    }
}
