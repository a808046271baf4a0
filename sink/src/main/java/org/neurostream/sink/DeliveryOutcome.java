package org.neurostream.sink;

import java.util.Map;

/**
 * What the sink did with one AnalysisResult; handed to listeners (the demo prints {@link #locations()}).
 * Holds UIDs and locations only, never patient data.
 *
 * @param srSopInstanceUid null unless an SR was built
 * @param locations        target name → where the result went (a path or URL), for the targets that succeeded
 * @param reason           why it was skipped or failed; null when delivered
 * @param reasonCode       a short code for metrics and dead letters ({@code build-failed},
 *                         {@code delivery-failed}); null when delivered or skipped
 */
public record DeliveryOutcome(String resultId, Status status, String studyInstanceUid, String seriesInstanceUid,
                              String srSopInstanceUid, Map<String, String> locations, String reason,
                              String reasonCode) {
    public enum Status {
        /** The result reached every enabled target. */
        DELIVERED,
        /** NO_PRIOR or REJECTED: nothing to report. */
        SKIPPED,
        /** The result could not be built, or a target still failed after the retries: a dead letter was written. */
        FAILED
    }

    public DeliveryOutcome {
        locations = Map.copyOf(locations);
    }
}
