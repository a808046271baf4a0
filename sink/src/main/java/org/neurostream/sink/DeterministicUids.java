package org.neurostream.sink;

import org.neurostream.imaging.Uids;

/**
 * Every id the sink hands a target, derived from the result id (itself derived from the pair and the model
 * versions; see {@link Uids}), so that replaying or retrying a result produces the same SOP Instance UIDs, FHIR
 * identifiers and HL7 message control id, and no target keeps a second copy.
 */
public final class DeterministicUids {
    private DeterministicUids() {
    }

    public static String srSopInstanceUid(String resultId) {
        return Uids.fromName("neurostream/sr/instance/" + resultId);
    }

    public static String srSeriesInstanceUid(String resultId) {
        return Uids.fromName("neurostream/sr/series/" + resultId);
    }

    public static String segSopInstanceUid(String resultId) {
        return Uids.fromName("neurostream/seg/instance/" + resultId);
    }

    public static String segSeriesInstanceUid(String resultId) {
        return Uids.fromName("neurostream/seg/series/" + resultId);
    }

    public static String keyImageSopInstanceUid(String resultId) {
        return Uids.fromName("neurostream/key-image/instance/" + resultId);
    }

    public static String keyImageSeriesInstanceUid(String resultId) {
        return Uids.fromName("neurostream/key-image/series/" + resultId);
    }

    /** Tracking Unique Identifier of one measurement group in the SR. */
    public static String trackingUid(String resultId, String group) {
        return Uids.fromName("neurostream/tracking/" + resultId + "/" + group);
    }

    /** HL7 MSH-10 (at most 20 characters in v2.5.1): a digest of the result id. */
    public static String hl7MessageControlId(String resultId) {
        String uid = Uids.fromName("neurostream/hl7/" + resultId); // 2.25.<up to 39 digits>
        String digits = uid.substring(5);
        return "NS" + digits.substring(Math.max(0, digits.length() - 18));
    }
}
