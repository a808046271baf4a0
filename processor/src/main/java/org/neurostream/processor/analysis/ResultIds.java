package org.neurostream.processor.analysis;

import java.util.List;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.ids.DerivedIds;

/**
 * Identifiers derived from the inputs only, so that a replay or a retry produces the same ids and every target can
 * recognise a result it already has (the sink derives SOP Instance UIDs from the result id).
 */
public final class ResultIds {
    /** The pair of visits: prior study and follow-up study (order matters). */
    public static String pairId(String priorStudyUid, String currentStudyUid) {
        return "pair-" + DerivedIds.of("pair", priorStudyUid, currentStudyUid);
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
        return "result-" + DerivedIds.of("analysed", pairId, currentEventId, priorEventId, versions.toString());
    }

    /**
     * A result that is not an analysis: "no prior" for a follow-up series event, or a rejection of a follow-up
     * (with the prior it was paired with, since a later prior may be rejected for another reason).
     */
    public static String outcomeResultId(String outcome, String currentEventId, String... more) {
        String[] parts = new String[2 + more.length];
        parts[0] = outcome;
        parts[1] = currentEventId;
        System.arraycopy(more, 0, parts, 2, more.length);
        return "result-" + DerivedIds.of(parts);
    }

    private ResultIds() {
    }
}
