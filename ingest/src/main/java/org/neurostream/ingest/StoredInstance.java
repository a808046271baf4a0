package org.neurostream.ingest;

import java.time.Duration;

/**
 * An instance that is safely in the blob store, with where and when it came from.
 *
 * @param source      the door and peer, e.g. {@code c-store:SCANNER1}, {@code stow-rs:10.0.0.7}; it becomes the
 *                    event's {@code source}
 * @param quietPeriod how long its series must stay quiet to be complete; null for the service's default (a
 *                    per-AE option: a PACS that pauses between series needs more than a scanner)
 */
public record StoredInstance(InstanceHeader header, String blobRef, String source, long receivedAtMillis,
        Duration quietPeriod) {

    public StoredInstance(InstanceHeader header, String blobRef, String source, long receivedAtMillis) {
        this(header, blobRef, source, receivedAtMillis, null);
    }

    /** Same object, same bytes: a re-send that changes nothing. */
    boolean sameContentAs(StoredInstance other) {
        return other != null && blobRef.equals(other.blobRef);
    }
}
