package org.neurostream.ingest;

/**
 * What became of one offered object, whichever door it came through. The DIMSE status is the common currency:
 * C-STORE answers it as is, STOW-RS reports it as the Failure Reason of a failed instance.
 *
 * @param reason         short code for metrics ({@code stored}, {@code unparseable}, {@code missing-attribute} …)
 * @param message        human-readable, never patient data (it is logged and sent back to the client)
 * @param sopClassUid    null when the object could not be read that far
 * @param sopInstanceUid null when the object could not be read that far
 */
public record IngestOutcome(int status, String reason, String message, String sopClassUid, String sopInstanceUid,
        String studyInstanceUid, String seriesInstanceUid) {

    public boolean stored() {
        return status == DimseStatus.SUCCESS;
    }

    static IngestOutcome stored(InstanceHeader h) {
        return new IngestOutcome(DimseStatus.SUCCESS, "stored", "stored", h.sopClassUid(), h.sopInstanceUid(),
                h.studyInstanceUid(), h.seriesInstanceUid());
    }

    static IngestOutcome failed(int status, String reason, String message, String sopClassUid,
            String sopInstanceUid) {
        return new IngestOutcome(status, reason, message, sopClassUid, sopInstanceUid, null, null);
    }
}
