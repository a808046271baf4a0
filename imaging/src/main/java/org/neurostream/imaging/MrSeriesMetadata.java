package org.neurostream.imaging;

import java.time.LocalDate;
import java.time.LocalTime;

/**
 * Patient, study and series attributes of an MR series to write. All UIDs must be valid DICOM UIDs (see
 * {@link Uids}); text fields may be empty (they are type 2 attributes written empty).
 *
 * @param patientName DICOM PN form, e.g. {@code PHANTOM^SUBJECT01}
 * @param sex         M, F or O (or empty)
 */
public record MrSeriesMetadata(String patientName, String patientId, String issuerOfPatientId,
        LocalDate birthDate, String sex, String studyUid, LocalDate studyDate, LocalTime studyTime,
        String accessionNumber, String studyDescription, String seriesUid, int seriesNumber,
        String seriesDescription, String frameOfReferenceUid) {
}
