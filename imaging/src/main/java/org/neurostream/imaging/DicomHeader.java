package org.neurostream.imaging;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The header attributes ingest and pairing need, read without decoding the pixel data. Absent text attributes are
 * empty strings, absent multi-valued ones empty lists or arrays, absent numbers 0 (or NaN for slice thickness).
 *
 * @param studyDate               DICOM DA text (YYYYMMDD) as stored; see {@link #studyLocalDate()}
 * @param hasInstanceNumber       whether InstanceNumber is present (a sender may number from 0)
 * @param pixelDataLength         bytes in PixelData (7FE0,0010); -1 when absent or not read, as
 *                                {@link DicomSliceReader#readHeader} stops before it
 * @param expectedPixelDataLength bytes of native pixel data the image attributes promise; 0 when unknown or
 *                                compressed
 */
public record DicomHeader(String transferSyntaxUid, String sopClassUid, String sopInstanceUid,
        String studyInstanceUid, String seriesInstanceUid, String frameOfReferenceUid, String patientId,
        String issuerOfPatientId, String studyDate, String modality, String seriesDescription, String protocolName,
        List<String> imageType, List<String> scanningSequence, List<String> sequenceVariant,
        String mrAcquisitionType, String bodyPartExamined, int rows, int columns, double[] pixelSpacing,
        double sliceThickness, double[] imageOrientation, double[] imagePosition, int instanceNumber,
        boolean hasInstanceNumber, long pixelDataLength, long expectedPixelDataLength) {

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

    /** Names the instance but not the patient: a header may end up in a log line. */
    @Override
    public String toString() {
        return "DicomHeader[sopInstanceUid=" + sopInstanceUid + ", seriesInstanceUid=" + seriesInstanceUid + "]";
    }
}
