package org.neurostream.pacs;

import java.time.Duration;

/**
 * The final answer to a C-MOVE that the PACS carried out (fully or partly). A move the PACS refused outright is a
 * {@link PacsException} instead.
 *
 * @param status    the final DIMSE status (0x0000 success, 0xB000 some sub-operations failed, 0xAxxx/0xCxxx failure,
 *                  0xFE00 cancelled)
 * @param completed sub-operations (C-STOREs to the destination) that succeeded
 * @param failed    sub-operations that failed
 * @param warning   sub-operations that succeeded with a warning
 */
public record MoveOutcome(int status, int completed, int failed, int warning, Duration elapsed) {

    /** Success status and no failed sub-operation: every instance of the study reached the destination. */
    public boolean allDelivered() {
        return status == 0x0000 && failed == 0;
    }

    public String statusHex() {
        return String.format("0x%04X", status);
    }
}
