package org.neurostream.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.neurostream.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to one received object, independent of the network: parse and check the header, put the bytes
 * into the blob store, hand the instance to the series tracker, and answer with a DIMSE status. The spooled file
 * is always removed.
 *
 * <p>What an acknowledgement guarantees: Success is answered only once the blob is durably in the blob store, so
 * the bytes of an acknowledged instance are never lost. What it does not: the series it belongs to is held in
 * memory until its quiet period ends and Kafka acknowledges the event; if the process crashes before then (or
 * the publish fails), no event announces that series, and only a re-send of its instances recovers it.
 */
public final class InstanceIngestor {
    private static final Logger log = LoggerFactory.getLogger(InstanceIngestor.class);

    private final InstanceValidator validator;
    private final BlobStore blobStore;
    private final SeriesCompletionTracker tracker;
    private final IngestMetrics metrics;
    private final Clock clock;

    public InstanceIngestor(InstanceValidator validator, BlobStore blobStore, SeriesCompletionTracker tracker,
            IngestMetrics metrics, Clock clock) {
        this.validator = validator;
        this.blobStore = blobStore;
        this.tracker = tracker;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * @param spooledFile a Part 10 file (meta header + data set as received); deleted before this returns
     * @return the DIMSE status for the C-STORE response
     */
    public int ingest(Path spooledFile, String affectedSopInstanceUid, String callingAeTitle) {
        try {
            InstanceHeader header = validator.validate(spooledFile, affectedSopInstanceUid);
            String blobRef = blobStore.putFile(spooledFile);
            tracker.add(new StoredInstance(header, blobRef, callingAeTitle, clock.millis()));
            metrics.instanceStored();
            log.debug("stored instance sop={} series={} patientKey={} blob={} from={}", header.sopInstanceUid(),
                    header.seriesInstanceUid(), header.patientKey(), blobRef, callingAeTitle);
            return DimseStatus.SUCCESS;
        } catch (InstanceRejectedException e) {
            metrics.instanceRejected(e.reason());
            log.warn("rejected C-STORE from {} sop={}: {} [{}] -> status {}", callingAeTitle, affectedSopInstanceUid,
                    e.getMessage(), e.reason(), DimseStatus.hex(e.status()));
            return e.status();
        } catch (IOException | RuntimeException e) {
            metrics.instanceRejected("storage-error");
            log.error("could not store C-STORE from {} sop={}: {} -> status {}", callingAeTitle,
                    affectedSopInstanceUid, e.toString(), DimseStatus.hex(DimseStatus.OUT_OF_RESOURCES));
            return DimseStatus.OUT_OF_RESOURCES;
        } finally {
            deleteQuietly(spooledFile);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not remove spooled file {}: {}", file, e.toString());
        }
    }
}
