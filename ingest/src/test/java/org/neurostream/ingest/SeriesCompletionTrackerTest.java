package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.SeriesGeometry;
import org.neurostream.schemas.SeriesReceived;

class SeriesCompletionTrackerTest {
    private static final Duration QUIET = Duration.ofSeconds(2);

    private final MutableClock clock = new MutableClock();
    private final SeriesCompletionTracker tracker = new SeriesCompletionTracker(QUIET, clock);

    @Test
    void seriesIsCompleteOnlyAfterTheQuietPeriod() {
        tracker.add(instance("S1", "1.1", 1));
        clock.advance(Duration.ofMillis(1500));
        tracker.add(instance("S1", "1.2", 2));
        clock.advance(Duration.ofMillis(1500));

        assertThat(tracker.takeCompleted()).isEmpty(); // 1.5 s since the last instance

        clock.advance(Duration.ofMillis(500));
        List<SeriesReceived> events = tracker.takeCompleted();

        assertThat(events).hasSize(1);
        assertThat(events.get(0).getInstances()).extracting(InstanceRef::getSopInstanceUid)
                .containsExactly("1.1", "1.2");
        assertThat(tracker.takeCompleted()).isEmpty(); // emitted once
    }

    @Test
    void everyFieldIsFilledAndInstancesAreSortedByInstanceNumber() {
        long start = clock.millis();
        tracker.add(instance("S1", "1.3", 3));
        clock.advance(Duration.ofMillis(10));
        tracker.add(instance("S1", "1.1", 1));
        tracker.add(instance("S1", "1.2", 2));
        clock.advance(QUIET);

        SeriesReceived event = tracker.takeCompleted().get(0);

        assertThat(event.getEventId()).matches("[0-9a-f]{32}");
        assertThat(event.getPatientKey()).isEqualTo("pk-test");
        assertThat(event.getStudyInstanceUid()).isEqualTo("STUDY");
        assertThat(event.getSeriesInstanceUid()).isEqualTo("S1");
        assertThat(event.getStudyDate()).isEqualTo("20260315");
        assertThat(event.getModality()).isEqualTo("MR");
        assertThat(event.getSeriesDescription()).isEqualTo("T1 MPRAGE");
        assertThat(event.getProtocolName()).isEqualTo("t1_mprage");
        assertThat(event.getImageType()).isEqualTo("ORIGINAL\\PRIMARY\\M\\ND");
        assertThat(event.getScanningSequence()).isEqualTo("GR\\IR");
        assertThat(event.getSequenceVariant()).isEqualTo("SP\\MP");
        assertThat(event.getMrAcquisitionType()).isEqualTo("3D");
        assertThat(event.getBodyPartExamined()).isEqualTo("BRAIN");
        assertThat(event.getGeometry().getRows()).isEqualTo(256);
        assertThat(event.getInstances()).extracting(InstanceRef::getInstanceNumber).containsExactly(1, 2, 3);
        assertThat(event.getInstances()).extracting(InstanceRef::getBlobRef)
                .containsExactly("sha256:1.1", "sha256:1.2", "sha256:1.3");
        assertThat(event.getSource()).isEqualTo("c-store:SCANNER");
        assertThat(event.getFirstReceivedAtMillis()).isEqualTo(start);
        assertThat(event.getCompletedAtMillis()).isEqualTo(clock.millis());
    }

    @Test
    void reSentInstanceIsNotListedTwice() {
        tracker.add(instance("S1", "1.1", 1));
        tracker.add(instance("S1", "1.2", 2));
        tracker.add(instance("S1", "1.1", 1));
        clock.advance(QUIET);

        assertThat(tracker.takeCompleted().get(0).getInstances()).hasSize(2);
    }

    @Test
    void eventIdDependsOnlyOnSeriesAndInstances() {
        tracker.add(instance("S1", "1.1", 1));
        tracker.add(instance("S1", "1.2", 2));
        clock.advance(QUIET);
        String first = tracker.takeCompleted().get(0).getEventId();

        SeriesCompletionTracker other = new SeriesCompletionTracker(QUIET, clock);
        other.add(instance("S1", "1.2", 2));
        clock.advance(Duration.ofMinutes(5));
        other.add(instance("S1", "1.1", 1));
        clock.advance(QUIET);

        assertThat(other.takeCompleted().get(0).getEventId()).isEqualTo(first);
    }

    @Test
    void lateInstanceReopensTheSeriesAndTheNextEmissionListsEverything() {
        tracker.add(instance("S1", "1.1", 1));
        clock.advance(QUIET);
        SeriesReceived first = tracker.takeCompleted().get(0);

        tracker.add(instance("S1", "1.2", 2));
        clock.advance(QUIET);
        SeriesReceived second = tracker.takeCompleted().get(0);

        assertThat(second.getInstances()).extracting(InstanceRef::getSopInstanceUid).containsExactly("1.1", "1.2");
        assertThat(second.getEventId()).isNotEqualTo(first.getEventId());
        assertThat(second.getFirstReceivedAtMillis()).isEqualTo(first.getFirstReceivedAtMillis());
    }

    @Test
    void unchangedReSendAfterCompletionEmitsNothing() {
        tracker.add(instance("S1", "1.1", 1));
        clock.advance(QUIET);
        List<SeriesReceived> first = tracker.takeCompleted();
        assertThat(first).hasSize(1);
        tracker.published(first.get(0)); // Kafka acknowledged it

        tracker.add(instance("S1", "1.1", 1));
        clock.advance(QUIET);

        assertThat(tracker.takeCompleted()).isEmpty();
        assertThat(tracker.openSeriesCount()).isZero();
    }

    @Test
    void unchangedReSendAfterAFailedPublishEmitsTheEventAgain() {
        tracker.add(instance("S1", "1.1", 1));
        clock.advance(QUIET);
        SeriesReceived lost = tracker.takeCompleted().get(0); // the publish fails: published() is never called

        tracker.add(instance("S1", "1.1", 1));
        clock.advance(QUIET);

        assertThat(tracker.takeCompleted()).extracting(SeriesReceived::getEventId)
                .containsExactly(lost.getEventId());
    }

    @Test
    void anAcknowledgementArrivingAfterAReopenStillCountsForThatEvent() {
        tracker.add(instance("S1", "1.1", 1));
        clock.advance(QUIET);
        SeriesReceived first = tracker.takeCompleted().get(0);
        tracker.add(instance("S1", "1.1", 1)); // reopened before the ack came back
        tracker.published(first);
        clock.advance(QUIET);

        assertThat(tracker.takeCompleted()).isEmpty();
    }

    @Test
    void seriesAreTrackedIndependently() {
        tracker.add(instance("S1", "1.1", 1));
        clock.advance(Duration.ofSeconds(1));
        tracker.add(instance("S2", "2.1", 1));
        clock.advance(Duration.ofSeconds(1));

        assertThat(tracker.takeCompleted()).extracting(SeriesReceived::getSeriesInstanceUid).containsExactly("S1");
        assertThat(tracker.takeAll()).extracting(SeriesReceived::getSeriesInstanceUid).containsExactly("S2");
    }

    private StoredInstance instance(String seriesUid, String sopUid, int number) {
        SeriesGeometry geometry = SeriesGeometry.newBuilder().setRows(256).setColumns(240)
                .setPixelSpacing(List.of(1.0, 1.0)).setSliceThickness(1.0)
                .setImageOrientationPatient(List.of(0.0, 1.0, 0.0, 0.0, 0.0, -1.0)).build();
        InstanceHeader header = new InstanceHeader("pk-test", "1.2.840.10008.5.1.4.1.1.4", sopUid, "STUDY",
                seriesUid, number, "20260315", "MR", "T1 MPRAGE", "t1_mprage", "ORIGINAL\\PRIMARY\\M\\ND",
                "GR\\IR", "SP\\MP", "3D", "BRAIN", geometry);
        return new StoredInstance(header, "sha256:" + sopUid, "c-store:SCANNER", clock.millis());
    }
}
