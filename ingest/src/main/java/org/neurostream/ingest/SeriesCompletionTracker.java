package org.neurostream.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.neurostream.schemas.SeriesReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups stored instances by series and decides when a series is complete: when no instance of it arrived for the
 * quiet period (DICOM has no end-of-series signal). Thread-safe; the clock is injectable for tests.
 *
 * <p>Re-sends: an instance with the same SOP Instance UID replaces the earlier one (identical bytes change nothing
 * but still count as activity), so a series never lists an instance twice.
 *
 * <p>Doors go through {@link #addChecked}, which refuses an instance that contradicts its series (another patient
 * or study, or a SOP Instance UID the series already holds with other content): a slice of another patient must
 * never end up in a volume, and two different images under one UID cannot both be right, so the first one kept
 * stays. {@link #add} itself takes anything (re-sends with other content replace the earlier instance).
 *
 * <p>After completion (documented choice): the series' instances are remembered for a while ({@link
 * #REMEMBERED_SERIES} series). A later instance reopens the series, and its next emission lists the earlier
 * instances plus the new ones, so consumers always get the whole series; its eventId differs because the instance
 * set differs. A re-send that adds nothing new produces no second event once the first was published (see
 * {@link #published}); after a failed publish it produces the event again. After a restart, or once a series has
 * been forgotten, late instances form a new emission of their own.
 */
public final class SeriesCompletionTracker {
    private static final Logger log = LoggerFactory.getLogger(SeriesCompletionTracker.class);
    static final int REMEMBERED_SERIES = 2_000;

    private final Duration quietPeriod;
    private final Clock clock;
    private final Map<String, OpenSeries> open = new HashMap<>();
    private final Map<String, OpenSeries> completed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OpenSeries> eldest) {
            return size() > REMEMBERED_SERIES;
        }
    };

    public SeriesCompletionTracker(Duration quietPeriod, Clock clock) {
        this.quietPeriod = quietPeriod;
        this.clock = clock;
    }

    /** {@link #add}, after checking that the instance agrees with what its series already holds. */
    public synchronized void addChecked(StoredInstance instance) throws InstanceRejectedException {
        InstanceHeader h = instance.header();
        OpenSeries series = open.get(h.seriesInstanceUid());
        if (series == null) {
            series = completed.get(h.seriesInstanceUid());
        }
        if (series != null && !series.instances.isEmpty()) {
            InstanceHeader held = series.instances.values().iterator().next().header();
            if (!held.patientKey().equals(h.patientKey())) {
                throw rejection("series-patient-mismatch", "instance " + h.sopInstanceUid() + " names another "
                        + "patient than the instances series " + h.seriesInstanceUid() + " already holds");
            }
            if (!held.studyInstanceUid().equals(h.studyInstanceUid())) {
                throw rejection("series-study-mismatch", "instance " + h.sopInstanceUid() + " names study "
                        + h.studyInstanceUid() + ", series " + h.seriesInstanceUid() + " belongs to study "
                        + held.studyInstanceUid());
            }
            StoredInstance earlier = series.instances.get(h.sopInstanceUid());
            if (earlier != null && !earlier.sameContentAs(instance)) {
                throw rejection("duplicate-sop-instance-uid", "series " + h.seriesInstanceUid()
                        + " already holds SOP Instance UID " + h.sopInstanceUid() + " with other content; the "
                        + "first one is kept (a changed object needs a new UID)");
            }
        }
        add(instance);
    }

    private static InstanceRejectedException rejection(String reason, String message) {
        return new InstanceRejectedException(reason, DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, message);
    }

    public synchronized void add(StoredInstance instance) {
        String seriesUid = instance.header().seriesInstanceUid();
        OpenSeries series = open.get(seriesUid);
        if (series == null) {
            series = completed.remove(seriesUid);
            if (series == null) {
                series = new OpenSeries(seriesUid, instance.receivedAtMillis(), quietPeriod.toMillis());
            }
            open.put(seriesUid, series);
        }
        series.add(instance, clock.millis());
        if (instance.quietPeriod() != null) {
            // The longest wait any of its senders asked for: a longer one never splits a series.
            series.quietMillis = Math.max(series.quietMillis, instance.quietPeriod().toMillis());
        }
    }

    /** Series whose quiet period has passed, as events; each is taken once (re-sends aside, see the class doc). */
    public synchronized List<SeriesReceived> takeCompleted() {
        return take(false);
    }

    /** Every open series, quiet or not: for shutdown, so acknowledged instances are not left unannounced. */
    public synchronized List<SeriesReceived> takeAll() {
        return take(true);
    }

    /**
     * These series now, quiet or not: for a door that knows a series is whole (a PACS's StableStudy, the end of
     * an import) and must not wait out a quiet period before it checkpoints.
     */
    public synchronized List<SeriesReceived> takeSeries(Collection<String> seriesUids) {
        return take(series -> seriesUids.contains(series.seriesUid));
    }

    /**
     * Records that {@code event} was accepted downstream (called from the publisher's acknowledgement). Until
     * then an unchanged re-send emits the event again: after a failed publish that re-send is the only way the
     * series reaches Kafka; while the first send is merely still in flight it is a duplicate with the same
     * eventId, which consumers tolerate (at-least-once).
     */
    public synchronized void published(SeriesReceived event) {
        String seriesUid = event.getSeriesInstanceUid();
        OpenSeries series = open.get(seriesUid); // reopened by a later instance meanwhile
        if (series == null) {
            series = completed.get(seriesUid);
        }
        if (series != null) { // null: forgotten meanwhile, nothing left to suppress
            series.lastPublishedEventId = event.getEventId();
        }
    }

    /**
     * Forgets every open series without announcing it; returns how many. Only for a door that will send their
     * instances again itself (an interrupted import resumes from its journal): announcing them now would publish
     * partial series.
     */
    public synchronized int discardOpen() {
        int n = open.size();
        open.clear();
        return n;
    }

    public synchronized int openSeriesCount() {
        return open.size();
    }

    private List<SeriesReceived> take(boolean all) {
        long now = clock.millis();
        return take(series -> all || now - series.lastActivityMillis >= series.quietMillis);
    }

    private List<SeriesReceived> take(Predicate<OpenSeries> due) {
        long now = clock.millis();
        List<SeriesReceived> events = new ArrayList<>();
        for (Iterator<OpenSeries> it = open.values().iterator(); it.hasNext(); ) {
            OpenSeries series = it.next();
            if (!due.test(series)) {
                continue;
            }
            it.remove();
            completed.put(series.seriesUid, series);
            SeriesReceived event = SeriesEvents.build(series.seriesUid, series.instances.values(),
                    series.firstReceivedMillis, now);
            if (event.getEventId().equals(series.lastPublishedEventId)) {
                log.info("series re-sent unchanged, not emitted again: series={} eventId={}", series.seriesUid,
                        event.getEventId());
                continue;
            }
            events.add(event); // counts as sent only once published(event) confirms it
        }
        return events;
    }

    private static final class OpenSeries {
        final String seriesUid;
        final long firstReceivedMillis;
        final Map<String, StoredInstance> instances = new HashMap<>();
        long lastActivityMillis;
        long quietMillis;
        /** The last event Kafka acknowledged for this series; only that one suppresses an unchanged re-send. */
        String lastPublishedEventId;

        OpenSeries(String seriesUid, long firstReceivedMillis, long quietMillis) {
            this.seriesUid = seriesUid;
            this.firstReceivedMillis = firstReceivedMillis;
            this.quietMillis = quietMillis;
        }

        void add(StoredInstance instance, long now) {
            String sopUid = instance.header().sopInstanceUid();
            StoredInstance earlier = instances.get(sopUid);
            if (earlier == null || !earlier.sameContentAs(instance)) {
                if (earlier != null) {
                    log.info("instance re-sent with different content, keeping the newer: series={} sop={}",
                            seriesUid, sopUid);
                }
                instances.put(sopUid, instance);
            }
            lastActivityMillis = now;
        }
    }
}
