package org.neurostream.ingest;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neurostream.schemas.SeriesGeometry;

/**
 * Parses a received Part 10 file with PixelMed and checks that it is a whole image ingest can use. Replaces the raw
 * patient id by its pseudonymous key straight away, so nothing downstream of this class sees it.
 */
public final class InstanceHeaderReader {
    // TagFromName lacks these two (shared/DESIGN.md): look them up in the standard dictionary.
    private static final AttributeTag SCANNING_SEQUENCE = tag("ScanningSequence");
    private static final AttributeTag SEQUENCE_VARIANT = tag("SequenceVariant");

    private final PatientKeyDeriver patientKeys;

    public InstanceHeaderReader(PatientKeyDeriver patientKeys) {
        this.patientKeys = patientKeys;
    }

    /**
     * @param expectedSopInstanceUid the SOP Instance UID the C-STORE command announced (null: not checked)
     */
    public InstanceHeader read(Path part10File, String expectedSopInstanceUid) throws InstanceRejectedException {
        AttributeList list = parse(part10File);
        String sopInstanceUid = required(list, TagFromName.SOPInstanceUID, "SOPInstanceUID");
        if (expectedSopInstanceUid != null && !expectedSopInstanceUid.strip().equals(sopInstanceUid)) {
            throw new InstanceRejectedException("sop-instance-mismatch", DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "data set SOP Instance UID " + sopInstanceUid + " differs from the command's "
                            + expectedSopInstanceUid.strip());
        }
        String patientId = required(list, TagFromName.PatientID, "PatientID");
        checkPixelData(list);
        return new InstanceHeader(
                patientKeys.derive(text(list, TagFromName.IssuerOfPatientID), patientId),
                required(list, TagFromName.SOPClassUID, "SOPClassUID"),
                sopInstanceUid,
                required(list, TagFromName.StudyInstanceUID, "StudyInstanceUID"),
                required(list, TagFromName.SeriesInstanceUID, "SeriesInstanceUID"),
                integer(list, TagFromName.InstanceNumber),
                text(list, TagFromName.StudyDate),
                text(list, TagFromName.Modality),
                text(list, TagFromName.SeriesDescription),
                text(list, TagFromName.ProtocolName),
                text(list, TagFromName.ImageType),
                text(list, SCANNING_SEQUENCE),
                text(list, SEQUENCE_VARIANT),
                text(list, TagFromName.MRAcquisitionType),
                text(list, TagFromName.BodyPartExamined),
                geometry(list));
    }

    private static AttributeList parse(Path file) throws InstanceRejectedException {
        AttributeList list = new AttributeList();
        long size;
        long parsed;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            size = Files.size(file);
            parsed = list.read(new DicomInputStream(in));
        } catch (IOException | DicomException | RuntimeException e) {
            // Only the exception type: PixelMed messages may quote element values.
            throw new InstanceRejectedException("unparseable", DimseStatus.CANNOT_UNDERSTAND,
                    "payload does not parse as DICOM (" + e.getClass().getSimpleName() + ")");
        }
        // PixelMed logs and swallows an element it cannot read, returning what it had: the byte count tells.
        if (parsed < size) {
            throw new InstanceRejectedException("unparseable", DimseStatus.CANNOT_UNDERSTAND,
                    "DICOM parsing stopped at byte " + parsed + " of " + size + " (truncated or corrupt)");
        }
        return list;
    }

    /** Short pixel data is what a truncated transfer or a broken writer leaves behind. */
    private static void checkPixelData(AttributeList list) throws InstanceRejectedException {
        Attribute pixelData = list.get(TagFromName.PixelData);
        if (pixelData == null) {
            throw new InstanceRejectedException("not-an-image", DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "no PixelData: ingest accepts images only");
        }
        String transferSyntax = text(list, TagFromName.TransferSyntaxUID);
        if (transferSyntax != null && TransferSyntax.isEncapsulated(transferSyntax)) {
            return; // compressed: the length says nothing about the frame count
        }
        long expected = expectedPixelBytes(list);
        long actual = pixelData.getVL();
        if (expected > 0 && actual < expected) {
            throw new InstanceRejectedException("truncated-pixel-data", DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "PixelData has " + actual + " bytes, the image header needs " + expected);
        }
    }

    private static long expectedPixelBytes(AttributeList list) {
        long rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        long columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        long samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        long bits = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0);
        long frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
        long totalBits = rows * columns * samples * bits * frames;
        return (totalBits + 7) / 8;
    }

    private static SeriesGeometry geometry(AttributeList list) {
        Integer rows = integer(list, TagFromName.Rows);
        Integer columns = integer(list, TagFromName.Columns);
        if (rows == null || columns == null) {
            return null;
        }
        double thickness = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.SliceThickness, Double.NaN);
        return SeriesGeometry.newBuilder()
                .setRows(rows)
                .setColumns(columns)
                .setPixelSpacing(doubles(list, TagFromName.PixelSpacing))
                .setSliceThickness(Double.isNaN(thickness) ? null : thickness)
                .setImageOrientationPatient(doubles(list, TagFromName.ImageOrientationPatient))
                .build();
    }

    private static String required(AttributeList list, AttributeTag tag, String name) throws InstanceRejectedException {
        String value = text(list, tag);
        if (value == null) {
            throw new InstanceRejectedException("missing-attribute", DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "required attribute " + name + " is missing or empty");
        }
        return value;
    }

    /** All values, backslash-delimited as in DICOM; null when absent or empty. */
    private static String text(AttributeList list, AttributeTag tag) {
        String value = Attribute.getDelimitedStringValuesOrNull(list, tag);
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    private static Integer integer(AttributeList list, AttributeTag tag) {
        int value = Attribute.getSingleIntegerValueOrDefault(list, tag, Integer.MIN_VALUE);
        return value == Integer.MIN_VALUE ? null : value;
    }

    private static List<Double> doubles(AttributeList list, AttributeTag tag) {
        double[] values = Attribute.getDoubleValues(list, tag);
        List<Double> result = new ArrayList<>();
        if (values != null) {
            for (double v : values) {
                result.add(v);
            }
        }
        return result;
    }

    private static AttributeTag tag(String name) {
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(name);
        if (tag == null) {
            throw new IllegalStateException("PixelMed's dictionary has no " + name);
        }
        return tag;
    }
}
