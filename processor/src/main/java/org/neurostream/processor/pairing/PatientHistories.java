package org.neurostream.processor.pairing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.PatientHistory;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.ids.DerivedIds;

/**
 * Operations on a patient's series history (the processor's state per patient key). The history holds one entry
 * per series; only series worth pairing are kept, so the state stays small.
 */
public final class PatientHistories {
    public static PatientHistory empty() {
        return PatientHistory.newBuilder().setSeries(new ArrayList<>()).build();
    }

    /**
     * The series as the history should know it once {@code event} is taken in, or empty when the event adds no
     * instance the history does not already have (a re-send). Ingest can announce a series in parts (instances
     * arriving after the quiet period, or after its restart); the parts are merged by SOP Instance UID so that a
     * late part never replaces the complete series.
     */
    public static Optional<SeriesReceived> merge(PatientHistory history, SeriesReceived event) {
        Optional<SeriesReceived> known = history.getSeries().stream()
                .filter(s -> s.getSeriesInstanceUid().equals(event.getSeriesInstanceUid()))
                .findFirst();
        if (known.isEmpty()) {
            return Optional.of(event);
        }
        SeriesReceived old = known.get();
        Map<String, InstanceRef> bySop = new LinkedHashMap<>();
        old.getInstances().forEach(i -> bySop.put(i.getSopInstanceUid(), i));
        int before = bySop.size();
        event.getInstances().forEach(i -> bySop.putIfAbsent(i.getSopInstanceUid(), i));
        if (bySop.size() == before) {
            return Optional.empty();
        }
        List<InstanceRef> instances = new ArrayList<>(bySop.values());
        instances.sort(Comparator.comparing((InstanceRef i) -> i.getInstanceNumber() == null ? Integer.MAX_VALUE
                : i.getInstanceNumber()).thenComparing(InstanceRef::getSopInstanceUid));
        return Optional.of(SeriesReceived.newBuilder(event)
                // Deterministic, so that replaying the same events gives the same entry and the same result ids.
                .setEventId("merged-" + DerivedIds.of(old.getEventId(), event.getEventId()))
                .setInstances(instances)
                .setFirstReceivedAtMillis(Math.min(old.getFirstReceivedAtMillis(), event.getFirstReceivedAtMillis()))
                .setCompletedAtMillis(Math.max(old.getCompletedAtMillis(), event.getCompletedAtMillis()))
                .build());
    }

    /** The history with {@code series} in place of any earlier entry for the same series. */
    public static PatientHistory with(PatientHistory history, SeriesReceived series) {
        List<SeriesReceived> next = new ArrayList<>(history.getSeries());
        next.removeIf(s -> s.getSeriesInstanceUid().equals(series.getSeriesInstanceUid()));
        next.add(series);
        return PatientHistory.newBuilder().setSeries(next).build();
    }

    private PatientHistories() {
    }
}
