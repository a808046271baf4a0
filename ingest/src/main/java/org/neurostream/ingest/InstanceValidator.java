package org.neurostream.ingest;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.neurostream.imaging.DicomHeader;
import org.neurostream.imaging.DicomReadException;
import org.neurostream.imaging.DicomSliceReader;
import org.neurostream.schemas.SeriesGeometry;

/**
 * Ingest's rules for a received Part 10 file, read by imaging's {@link DicomSliceReader} (the project's one DICOM
 * header reader): is it a whole image ingest can use? Replaces the raw patient id by its pseudonymous key straight
 * away, so nothing downstream of this class sees it.
 */
public final class InstanceValidator {
    private final PatientKeyDeriver patientKeys;

    public InstanceValidator(PatientKeyDeriver patientKeys) {
        this.patientKeys = patientKeys;
    }

    /**
     * @param expectedSopInstanceUid the SOP Instance UID the C-STORE command announced (null: not checked)
     */
    public InstanceHeader validate(Path part10File, String expectedSopInstanceUid) throws InstanceRejectedException {
        return validate(part10File, expectedSopInstanceUid, null);
    }

    /**
     * @param expectedStudyInstanceUid the study the sender addressed (STOW-RS {@code POST /studies/{uid}}), or null
     */
    public InstanceHeader validate(Path part10File, String expectedSopInstanceUid, String expectedStudyInstanceUid)
            throws InstanceRejectedException {
        DicomHeader dicom = read(part10File);
        try {
            if (expectedStudyInstanceUid != null && !expectedStudyInstanceUid.equals(dicom.studyInstanceUid())) {
                throw new InstanceRejectedException("study-mismatch", DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                        "Study Instance UID " + dicom.studyInstanceUid() + " differs from the addressed study "
                                + expectedStudyInstanceUid);
            }
            if (!DicomSliceReader.decodes(dicom.transferSyntaxUid())) {
                // Refused here, not at analysis: the C-STORE door already refuses such presentation contexts, and a
                // series nobody can decode must not become a patient's prior.
                throw new InstanceRejectedException("unsupported-transfer-syntax",
                        DimseStatus.CANNOT_UNDERSTAND, "transfer syntax " + dicom.transferSyntaxUid()
                                + " (" + DicomSliceReader.transferSyntaxName(dicom.transferSyntaxUid())
                                + ") is not decoded; send uncompressed (e.g. Explicit VR Little Endian)");
            }
            return check(dicom, expectedSopInstanceUid);
        } catch (InstanceRejectedException e) {
            throw e.naming(dicom.sopClassUid(), dicom.sopInstanceUid());
        }
    }

    private InstanceHeader check(DicomHeader dicom, String expectedSopInstanceUid) throws InstanceRejectedException {
        String sopInstanceUid = required(dicom.sopInstanceUid(), "SOPInstanceUID");
        if (expectedSopInstanceUid != null && !expectedSopInstanceUid.strip().equals(sopInstanceUid)) {
            throw new InstanceRejectedException("sop-instance-mismatch", DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "data set SOP Instance UID " + sopInstanceUid + " differs from the command's "
                            + expectedSopInstanceUid.strip());
        }
        String patientId = required(dicom.patientId(), "PatientID");
        checkPixelData(dicom);
        return new InstanceHeader(
                patientKeys.derive(dicom.issuerOfPatientId(), patientId),
                required(dicom.sopClassUid(), "SOPClassUID"),
                sopInstanceUid,
                required(dicom.studyInstanceUid(), "StudyInstanceUID"),
                required(dicom.seriesInstanceUid(), "SeriesInstanceUID"),
                dicom.hasInstanceNumber() ? dicom.instanceNumber() : null,
                orNull(dicom.studyDate()),
                orNull(dicom.modality()),
                orNull(dicom.seriesDescription()),
                orNull(dicom.protocolName()),
                delimited(dicom.imageType()),
                delimited(dicom.scanningSequence()),
                delimited(dicom.sequenceVariant()),
                orNull(dicom.mrAcquisitionType()),
                orNull(dicom.bodyPartExamined()),
                geometry(dicom));
    }

    private static DicomHeader read(Path file) throws InstanceRejectedException {
        try {
            return DicomSliceReader.readCompleteHeader(file);
        } catch (DicomReadException e) {
            // Not DICOM, cut off or corrupt. Imaging's message quotes no element values, so it may be logged.
            throw new InstanceRejectedException("unparseable", DimseStatus.CANNOT_UNDERSTAND, e.getMessage());
        }
    }

    /** Short pixel data is what a truncated transfer or a broken writer leaves behind. */
    private static void checkPixelData(DicomHeader dicom) throws InstanceRejectedException {
        if (dicom.pixelDataLength() < 0) {
            throw new InstanceRejectedException("not-an-image", DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "no PixelData: ingest accepts images only");
        }
        long expected = dicom.expectedPixelDataLength(); // 0 for compressed: the length says nothing there
        if (expected > 0 && dicom.pixelDataLength() < expected) {
            throw new InstanceRejectedException("truncated-pixel-data", DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "PixelData has " + dicom.pixelDataLength() + " bytes, the image header needs " + expected);
        }
    }

    /** Geometry only with both Rows and Columns (imaging reads an absent one as 0). */
    private static SeriesGeometry geometry(DicomHeader dicom) {
        if (dicom.rows() == 0 || dicom.columns() == 0) {
            return null;
        }
        double thickness = dicom.sliceThickness();
        return SeriesGeometry.newBuilder()
                .setRows(dicom.rows())
                .setColumns(dicom.columns())
                .setPixelSpacing(boxed(dicom.pixelSpacing()))
                .setSliceThickness(Double.isNaN(thickness) ? null : thickness)
                .setImageOrientationPatient(boxed(dicom.imageOrientation()))
                .build();
    }

    private static String required(String value, String name) throws InstanceRejectedException {
        // Blank, not just empty: imaging trims only ASCII padding, and a PatientID of Unicode spaces would
        // otherwise reach the key deriver, which refuses it with a runtime error (see module fuzz).
        if (value.isBlank()) {
            throw new InstanceRejectedException("missing-attribute", DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "required attribute " + name + " is missing or empty");
        }
        return value;
    }

    /** The event schema says null, imaging says empty, for an absent attribute. */
    private static String orNull(String value) {
        return value.isEmpty() ? null : value;
    }

    /** All values backslash-delimited as in DICOM; null when absent. */
    private static String delimited(List<String> values) {
        return orNull(String.join("\\", values));
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
