package org.neurostream.status;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.DeliveryStatus;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.SeriesReceived;

/**
 * The recent past as the status page shows it, built from the three topics' events. Holds identifiers (study,
 * series and result UIDs/ids), times and figures only: never the patient key, names or ids, nor free text a
 * sender supplied (series descriptions). Bounded: the oldest entries go once {@code capacity} is reached.
 */
public final class StatusView {
    /** One complete series as ingest announced it; the door is e.g. {@code c-store:<calling AE>}. */
    public record SeriesRow(String studyUid, String seriesUid, int instances, String door, long firstReceivedAtMillis,
            long completedAtMillis) {
    }

    /** One pairing outcome with its figures (absent figures are null). */
    public record ResultRow(String resultId, String studyUid, String seriesUid, String seriesKind, String status,
            String reason, String priorStudyUid, Integer intervalDays, Double pDecline, Integer newLesionCount,
            Double newLesionVolumeMl, Double pbvcPercent, List<String> models, String supersedes,
            long createdAtMillis) {
    }

    /** The latest outcome of delivering one result to one target. */
    public record DeliveryRow(String resultId, String target, String outcome, int attempt, String detail,
            long atMillis) {
    }

    /** What the page renders, newest first. */
    public record Snapshot(List<SeriesRow> series, List<ResultRow> results, List<DeliveryRow> deliveries,
            long eventsRead) {
    }

    private final int capacity;
    private final LinkedHashMap<String, SeriesRow> series = new LinkedHashMap<>();
    private final LinkedHashMap<String, ResultRow> results = new LinkedHashMap<>();
    private final LinkedHashMap<String, DeliveryRow> deliveries = new LinkedHashMap<>();
    private long eventsRead;

    public StatusView(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void seriesReceived(SeriesReceived e) {
        eventsRead++;
        // Re-announced (more instances arrived): the newer event replaces the row and moves it to the front.
        series.remove(e.getSeriesInstanceUid());
        series.put(e.getSeriesInstanceUid(), new SeriesRow(e.getStudyInstanceUid(), e.getSeriesInstanceUid(),
                e.getInstances().size(), e.getSource(), e.getFirstReceivedAtMillis(), e.getCompletedAtMillis()));
        trim(series);
    }

    public synchronized void analysisResult(AnalysisResult r) {
        eventsRead++;
        List<String> models = new ArrayList<>();
        for (ModelInfo m : r.getModels()) {
            models.add(m.getName() + " " + m.getVersion() + " (" + m.getDevice() + ")");
        }
        results.remove(r.getResultId());
        results.put(r.getResultId(), new ResultRow(r.getResultId(), r.getCurrent().getStudyInstanceUid(),
                r.getCurrent().getSeriesInstanceUid(), r.getSeriesKind(), r.getStatus().name(), r.getReason(),
                r.getPrior() == null ? null : r.getPrior().getStudyInstanceUid(), r.getIntervalDays(), r.getPDecline(),
                r.getNewLesions() == null ? null : r.getNewLesions().getCount(),
                r.getNewLesions() == null ? null : r.getNewLesions().getTotalVolumeMl(),
                r.getTissue() == null ? null : r.getTissue().getPbvcPercent(), List.copyOf(models), r.getSupersedes(),
                r.getCreatedAtMillis()));
        trim(results);
    }

    public synchronized void deliveryStatus(DeliveryStatus d) {
        eventsRead++;
        String key = d.getResultId() + "\u0000" + d.getTarget();
        DeliveryRow previous = deliveries.get(key);
        if (previous != null && previous.attempt() > d.getAttempt()) {
            return; // an older attempt read late
        }
        deliveries.remove(key);
        deliveries.put(key, new DeliveryRow(d.getResultId(), d.getTarget(), d.getOutcome().name(), d.getAttempt(),
                d.getDetail(), d.getAtMillis()));
        trim(deliveries);
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(newestFirst(series), newestFirst(results), newestFirst(deliveries), eventsRead);
    }

    private <V> void trim(LinkedHashMap<String, V> map) {
        while (map.size() > capacity) {
            map.remove(map.keySet().iterator().next());
        }
    }

    private static <V> List<V> newestFirst(Map<String, V> map) {
        List<V> list = new ArrayList<>(map.values());
        Collections.reverse(list);
        return List.copyOf(list);
    }
}
