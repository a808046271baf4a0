package org.neurostream.sink;

import org.neurostream.imaging.Uids;

/**
 * The SR's UIDs derived from the result id (see {@link Uids}), so that replaying a result produces the same SOP
 * Instance UID and the PACS keeps one copy instead of two.
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
}
