package org.neurostream.sink;

import java.util.List;

/**
 * Somewhere a result goes. Delivering the same package again must be harmless (replays, retries): every id a
 * target hands out derives from the result id ({@link DeterministicUids}).
 */
public interface DeliveryTarget {
    /** Short name for logs, metrics, the delivery-status topic and dead letters, e.g. {@code pacs}, {@code fhir}. */
    String name();

    /** Delivers the package; throws with a clear message (no patient data) on failure. */
    Delivered deliver(ResultPackage result) throws Exception;

    /**
     * What a delivery achieved.
     *
     * @param location       where the report now is (a path or URL), for people
     * @param alreadyPresent the target already held this result (a replay or a retry after a lost answer)
     * @param objectIds      what the target now holds: SOP Instance UIDs, FHIR resource ids, HL7 control id
     */
    record Delivered(String location, boolean alreadyPresent, List<String> objectIds) {
        public Delivered {
            objectIds = List.copyOf(objectIds);
        }
    }

    /** A failure that the same request would meet again (the peer rejected the content): not retried. */
    final class PermanentFailure extends Exception {
        public PermanentFailure(String message) {
            super(message);
        }
    }
}
