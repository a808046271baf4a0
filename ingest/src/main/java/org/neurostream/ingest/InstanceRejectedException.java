package org.neurostream.ingest;

/**
 * A received object that ingest will not keep. Carries the DIMSE status returned to the sender and a short reason
 * code for the metric tag. The message must never contain patient data: it goes to the log.
 */
public final class InstanceRejectedException extends Exception {
    private final String reason;
    private final int status;
    private final String sopClassUid;
    private final String sopInstanceUid;

    public InstanceRejectedException(String reason, int status, String message) {
        this(reason, status, message, null, null);
    }

    private InstanceRejectedException(String reason, int status, String message, String sopClassUid,
            String sopInstanceUid) {
        super(message);
        this.reason = reason;
        this.status = status;
        this.sopClassUid = sopClassUid;
        this.sopInstanceUid = sopInstanceUid;
    }

    /** The same rejection, naming the object (STOW-RS reports failed instances by their UIDs). */
    InstanceRejectedException naming(String classUid, String instanceUid) {
        return new InstanceRejectedException(reason, status, getMessage(), emptyToNull(classUid),
                emptyToNull(instanceUid));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Null when the object was not readable that far. */
    public String sopClassUid() {
        return sopClassUid;
    }

    public String sopInstanceUid() {
        return sopInstanceUid;
    }

    /** Short code, e.g. {@code unparseable}, {@code missing-attribute}, {@code truncated-pixel-data}. */
    public String reason() {
        return reason;
    }

    public int status() {
        return status;
    }
}
