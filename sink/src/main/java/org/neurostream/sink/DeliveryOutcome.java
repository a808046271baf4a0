package org.neurostream.sink;

import java.util.Map;

/**
 * What the sink did with one AnalysisResult; handed to listeners (the demo prints {@link #locations()}).
 * Holds UIDs and locations only, never patient data.
 *
 * @param srSopInstanceUid null unless an SR was built
 * @param locations        target name → where the SR went (a path or URL), for the targets that succeeded
 * @param reason           why it was skipped or failed; null when delivered
 */
public record DeliveryOutcome(String resultId, Status status, String studyInstanceUid, String seriesInstanceUid,
                              String srSopInstanceUid, Map<String, String> locations, String reason) {
    public enum Status {
        /** The SR reached every enabled target. */
        DELIVERED,
        /** NO_PRIOR or REJECTED: nothing to report as SR. */
        SKIPPED,
        /** The SR could not be built, or a target still failed after the retries: a dead letter was written. */
        FAILED
    }

    public DeliveryOutcome {
        locations = Map.copyOf(locations);
    }
}
