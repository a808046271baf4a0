package org.neurostream.pacs;

import java.io.IOException;

/**
 * A query or retrieve that did not happen: the PACS could not be reached, would not talk to us, refused the request,
 * dropped the association, or did not answer in time. {@link #reason()} says which, so a caller can tell "retry
 * later" (UNREACHABLE, TIMEOUT, ABORTED) from "fix the configuration" (ASSOCIATION_REJECTED, REFUSED).
 */
public final class PacsException extends IOException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** No TCP connection (nothing listening, unknown host, no route). */
        UNREACHABLE,
        /** A-ASSOCIATE-RJ (e.g. called AE title not accepted), or none of our presentation contexts accepted. */
        ASSOCIATION_REJECTED,
        /** The PACS aborted or closed the association mid-request (Orthanc does so for a calling AE it does not know). */
        ABORTED,
        /** The PACS answered the request itself with a failure status; {@link #status()} holds it. */
        REFUSED,
        /** No association, no response, or no final response within the configured time. */
        TIMEOUT,
        /** A response we could not decode. */
        PROTOCOL,
        /** The calling thread was interrupted while waiting (its interrupt flag is set again). */
        INTERRUPTED
    }

    private final Reason reason;
    private final int status;

    PacsException(Reason reason, String message, Throwable cause) {
        this(reason, -1, message, cause);
    }

    PacsException(Reason reason, int status, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
        this.status = status;
    }

    public Reason reason() {
        return reason;
    }

    /** The DIMSE status the PACS answered with (REFUSED only), else -1. */
    public int status() {
        return status;
    }
}
