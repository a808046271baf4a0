package org.neurostream.processor.analysis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.neurostream.schemas.ModelInfo;

/**
 * Identifiers derived from the inputs only, so that a replay or a retry produces the same ids and every target can
 * recognise a result it already has (the sink derives SOP Instance UIDs from the result id).
 */
public final class ResultIds {
    /** The pair of visits: prior study and follow-up study (order matters). */
    public static String pairId(String priorStudyUid, String currentStudyUid) {
        return "pair-" + hash("pair", priorStudyUid, currentStudyUid).substring(0, 32);
    }

    /**
     * One analysis of a pair by one set of model versions. The event ids name the exact instance sets, so a series
     * that grew after it was analysed gets a new result (and a new SR) rather than new content under an old UID.
     */
    public static String analysedResultId(String pairId, String currentEventId, String priorEventId,
            List<ModelInfo> models) {
        StringBuilder versions = new StringBuilder();
        for (ModelInfo m : models) {
            versions.append(m.getName()).append('@').append(m.getVersion()).append('#').append(m.getSha256()).append(';');
        }
        return "result-" + hash("analysed", pairId, currentEventId, priorEventId, versions.toString()).substring(0, 32);
    }

    /** A result that is not an analysis (no prior, rejected): one per follow-up series event. */
    public static String outcomeResultId(String outcome, String currentEventId) {
        return "result-" + hash(outcome, currentEventId).substring(0, 32);
    }

    private static String hash(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0); // separator: ("ab","c") and ("a","bc") differ
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ResultIds() {
    }
}
