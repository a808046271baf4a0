package org.neurostream.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.schemas.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path every door (C-STORE, STOW-RS, folder import, PACS change feed) feeds: parse and check the header,
 * put the bytes into the blob store, hand the instance to the series tracker. Doors differ only in how the bytes
 * arrive and in the {@code source} they name, so a study gives the same events whichever door it used.
 *
 * <p>What success guarantees: it is reported only once the blob is durably in the blob store, so the bytes of an
 * acknowledged instance are never lost. What it does not: the series it belongs to is held in memory until its
 * quiet period ends and Kafka acknowledges the event; if the process crashes before then (or the publish fails),
 * no event announces that series, and only a re-send of its instances recovers it (import and the change feed
 * re-send by themselves: they checkpoint only acknowledged series).
 */
public final class InstanceIngestor {
    private static final Logger log = LoggerFactory.getLogger(InstanceIngestor.class);

    private final InstanceValidator validator;
    private final BlobStore blobStore;
    private final SeriesCompletionTracker tracker;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final DeadLetterPublisher deadLetters;

    public InstanceIngestor(InstanceValidator validator, BlobStore blobStore, SeriesCompletionTracker tracker,
            IngestMetrics metrics, Clock clock) {
        this(validator, blobStore, tracker, metrics, clock, DeadLetterPublisher.NONE);
    }

    /** @param deadLetters where each refused object is recorded with its reason code */
    public InstanceIngestor(InstanceValidator validator, BlobStore blobStore, SeriesCompletionTracker tracker,
            IngestMetrics metrics, Clock clock, DeadLetterPublisher deadLetters) {
        this.validator = validator;
        this.blobStore = blobStore;
        this.tracker = tracker;
        this.metrics = metrics;
        this.clock = clock;
        this.deadLetters = deadLetters;
    }

    IngestMetrics metrics() {
        return metrics;
    }

    /**
     * @param part10File     a Part 10 file; left in place (the caller owns it)
     * @param expectedSopUid   the SOP Instance UID the sender announced, or null
     * @param expectedStudyUid the study the sender addressed, or null
     * @param quietPeriod      series quiet period for this sender, or null for the default
     */
    public IngestOutcome ingest(Path part10File, String expectedSopUid, String expectedStudyUid, String source,
            Duration quietPeriod) {
        try {
            InstanceHeader header = validator.validate(part10File, expectedSopUid, expectedStudyUid);
            String blobRef = blobStore.put(CanonicalPart10.of(part10File, header));
            // Checked against what the series already holds (another patient or study, a SOP Instance UID with
            // other content); the blob may stay behind unreferenced, which a content-addressed store tolerates.
            try {
                tracker.addChecked(new StoredInstance(header, blobRef, source, clock.millis(), quietPeriod));
            } catch (InstanceRejectedException e) {
                throw e.naming(header.sopClassUid(), header.sopInstanceUid());
            }
            metrics.instanceStored(Files.size(part10File));
            log.debug("stored instance sop={} series={} patientKey={} blob={} from={}", header.sopInstanceUid(),
                    header.seriesInstanceUid(), header.patientKey(), blobRef, source);
            return IngestOutcome.stored(header);
        } catch (InstanceRejectedException e) {
            String sop = e.sopInstanceUid() != null ? e.sopInstanceUid() : expectedSopUid;
            metrics.instanceRejected(e.reason());
            log.warn("rejected instance from {} sop={}: {} [{}] -> status {}", source, sop, e.getMessage(),
                    e.reason(), DimseStatus.hex(e.status()));
            deadLetter(e, sop, source);
            return IngestOutcome.failed(e.status(), e.reason(), e.getMessage(), e.sopClassUid(),
                    e.sopInstanceUid() != null ? e.sopInstanceUid() : expectedSopUid);
        } catch (IOException | RuntimeException e) {
            metrics.instanceRejected("storage-error");
            log.error("could not store instance from {} sop={}: {} -> status {}", source, expectedSopUid,
                    e.toString(), DimseStatus.hex(DimseStatus.OUT_OF_RESOURCES));
            // No dead letter: nothing is wrong with the object, and the sender is told to try again later.
            return IngestOutcome.failed(DimseStatus.OUT_OF_RESOURCES, "storage-error",
                    "storage failed, try again later", null, expectedSopUid);
        }
    }

    /**
     * The refused object itself is not kept (it holds patient data, and the sender still has it): the letter says
     * which object, through which door, and why, as {@code <reason code>: <message>}.
     */
    private void deadLetter(InstanceRejectedException e, String sopInstanceUid, String source) {
        try {
            deadLetters.publish(DeadLetter.newBuilder()
                    .setStage("ingest")
                    .setReason(e.reason() + ": " + e.getMessage() + " (from " + source + ")")
                    .setSubjectId(sopInstanceUid)
                    .setAtMillis(clock.millis())
                    .build());
            metrics.deadLettered(e.reason());
        } catch (RuntimeException failure) {
            log.error("could not record a dead letter for sop={}: {}", sopInstanceUid, failure.toString());
        }
    }
}
