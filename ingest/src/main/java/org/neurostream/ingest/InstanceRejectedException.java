package org.neurostream.ingest;

/**
 * A received object that ingest will not keep. Carries the DIMSE status returned to the sender and a short reason
 * code for the metric tag. The message must never contain patient data: it goes to the log.
 */
public final class InstanceRejectedException extends Exception {
    private final String reason;
    private final int status;

    public InstanceRejectedException(String reason, int status, String message) {
        super(message);
        this.reason = reason;
        this.status = status;
    }

    /** Short code, e.g. {@code unparseable}, {@code missing-attribute}, {@code truncated-pixel-data}. */
    public String reason() {
        return reason;
    }

    public int status() {
        return status;
    }
}
