package org.neurostream.processor.pairing;

import java.util.ArrayList;
import java.util.List;
import org.neurostream.schemas.PatientHistory;
import org.neurostream.schemas.SeriesReceived;

/** Operations on a patient's series history (the processor's state per patient key). */
public final class PatientHistories {
    public static PatientHistory empty() {
        return PatientHistory.newBuilder().setSeries(new ArrayList<>()).build();
    }

    /** True when exactly this event (same series, same instances) is already in the history: a re-send. */
    public static boolean contains(PatientHistory history, SeriesReceived series) {
        return history.getSeries().stream().anyMatch(s -> s.getEventId().equals(series.getEventId()));
    }

    /**
     * The history with {@code series} added. A newer event for a series already present (more instances arrived
     * later) replaces the older one, so the history holds one entry per series.
     */
    public static PatientHistory with(PatientHistory history, SeriesReceived series) {
        List<SeriesReceived> next = new ArrayList<>(history.getSeries());
        next.removeIf(s -> s.getSeriesInstanceUid().equals(series.getSeriesInstanceUid()));
        next.add(series);
        return PatientHistory.newBuilder().setSeries(next).build();
    }

    private PatientHistories() {
    }
}
