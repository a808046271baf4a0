package org.neurostream.pacs;

import java.time.LocalDate;
import java.util.List;
import java.util.OptionalInt;

/**
 * One study a PACS returned for a study-level C-FIND. Holds no patient identifiers on purpose: it is safe to log.
 *
 * @param studyDate         null when the PACS returned none or an unparsable one
 * @param modalitiesInStudy empty when the PACS does not return the attribute
 * @param studyDescription  empty when absent
 * @param numberOfInstances NumberOfStudyRelatedInstances, when the PACS returns it
 */
public record StudyMatch(String studyInstanceUid, LocalDate studyDate, List<String> modalitiesInStudy,
        String studyDescription, OptionalInt numberOfInstances) {
    public StudyMatch {
        modalitiesInStudy = List.copyOf(modalitiesInStudy);
    }
}
