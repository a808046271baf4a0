package org.neurostream.ingest;

/** An instance that is safely in the blob store, with where and when it came from. */
public record StoredInstance(InstanceHeader header, String blobRef, String callingAeTitle, long receivedAtMillis) {

    /** Same object, same bytes: a re-send that changes nothing. */
    boolean sameContentAs(StoredInstance other) {
        return other != null && blobRef.equals(other.blobRef);
    }
}
