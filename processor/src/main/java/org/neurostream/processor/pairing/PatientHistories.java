package org.neurostream.processor.pairing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neurostream.schemas.HistoryEntry;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.PatientHistory;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.ids.DerivedIds;

/**
 * Operations on a patient's series history (the processor's state per patient key). The history holds one entry
 * per pairable series; other series are not kept, so the state stays small.
 */
public final class PatientHistories {
    public static PatientHistory empty() {
        return PatientHistory.newBuilder().setEntries(new ArrayList<>()).build();
    }

    public static Optional<HistoryEntry> find(PatientHistory history, String seriesInstanceUid) {
        return history.getEntries().stream()
                .filter(e -> e.getSeries().getSeriesInstanceUid().equals(seriesInstanceUid))
                .findFirst();
    }

    /**
     * The series as the history should know it once {@code event} is taken in, or empty when the event adds no
     * instance the history does not already have (a re-send). Ingest can announce a series in parts (instances
     * arriving after the quiet period, or after its restart); the parts are merged by SOP Instance UID so that a
     * late part never replaces the complete series.
     */
    public static Optional<SeriesReceived> merge(PatientHistory history, SeriesReceived event) {
        Optional<HistoryEntry> known = find(history, event.getSeriesInstanceUid());
        if (known.isEmpty()) {
            return Optional.of(event);
        }
        SeriesReceived old = known.get().getSeries();
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
        List<String> sops = instances.stream().map(InstanceRef::getSopInstanceUid).sorted().toList();
        return Optional.of(SeriesReceived.newBuilder(event)
                // From the merged instance set alone, so whichever order the parts came in the id is the same.
                .setEventId("merged-" + DerivedIds.of(event.getSeriesInstanceUid(), String.join(",", sops)))
                .setInstances(instances)
                .setFirstReceivedAtMillis(Math.min(old.getFirstReceivedAtMillis(), event.getFirstReceivedAtMillis()))
                .setCompletedAtMillis(Math.max(old.getCompletedAtMillis(), event.getCompletedAtMillis()))
                .build());
    }

    /** The history with {@code entry} in place of any earlier entry for the same series. */
    public static PatientHistory with(PatientHistory history, HistoryEntry entry) {
        List<HistoryEntry> next = new ArrayList<>(history.getEntries());
        String uid = entry.getSeries().getSeriesInstanceUid();
        int at = -1;
        for (int n = 0; n < next.size(); n++) {
            if (next.get(n).getSeries().getSeriesInstanceUid().equals(uid)) {
                at = n;
            }
        }
        if (at >= 0) {
            next.set(at, entry);
        } else {
            next.add(entry);
        }
        return PatientHistory.newBuilder().setEntries(next).build();
    }

    private PatientHistories() {
    }
}
