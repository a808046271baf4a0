package org.neurostream.imaging;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The header attributes ingest and pairing need, read without the pixel data. Absent text attributes are empty
 * strings, absent multi-valued ones empty lists or arrays, absent numbers 0 (or NaN for slice thickness).
 *
 * @param studyDate DICOM DA text (YYYYMMDD) as stored; see {@link #studyLocalDate()}
 */
public record DicomHeader(String transferSyntaxUid, String sopClassUid, String sopInstanceUid,
        String studyInstanceUid, String seriesInstanceUid, String frameOfReferenceUid, String patientId,
        String issuerOfPatientId, String studyDate, String modality, String seriesDescription, String protocolName,
        List<String> imageType, List<String> scanningSequence, List<String> sequenceVariant,
        String mrAcquisitionType, String bodyPartExamined, int rows, int columns, double[] pixelSpacing,
        double sliceThickness, double[] imageOrientation, double[] imagePosition, int instanceNumber) {

    public DicomHeader {
        imageType = List.copyOf(imageType);
        scanningSequence = List.copyOf(scanningSequence);
        sequenceVariant = List.copyOf(sequenceVariant);
    }

    /** The study date, when present and well formed. */
    public Optional<LocalDate> studyLocalDate() {
        try {
            return studyDate.isEmpty() ? Optional.empty()
                    : Optional.of(LocalDate.parse(studyDate.trim(), DateTimeFormatter.BASIC_ISO_DATE));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
