package org.neurostream.imaging;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link Volume} as a 3D T1 MR Image Storage series: one Explicit VR Little Endian file per k slice,
 * 16-bit unsigned pixels, a series-wide RescaleSlope/Intercept when the values are not already 0..65535 integers.
 */
public final class MrSeriesWriter {
    private static final String SOURCE_AE = "NEUROSTREAM";
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");
    private static final int MAX_STORED = 65535;

    /**
     * Writes {@code IM00001.dcm}, {@code IM00002.dcm}, ... (k = 0, 1, ...) into {@code directory} (created if
     * needed) and returns the files in slice order. The slice normal is taken as axis i x axis j; a volume whose
     * k axis points the other way is still written correctly (each slice carries its own position).
     */
    public static List<Path> write(Volume volume, MrSeriesMetadata metadata, Path directory) throws IOException {
        Files.createDirectories(directory);
        Quantisation quantisation = Quantisation.of(volume.data());
        List<Path> files = new ArrayList<>(volume.nz());
        for (int k = 0; k < volume.nz(); k++) {
            Path file = directory.resolve(String.format("IM%05d.dcm", k + 1));
            try {
                AttributeList list = slice(volume, metadata, quantisation, k);
                FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, SOURCE_AE);
                list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            } catch (DicomException e) {
                throw new IOException("cannot encode slice " + k + " of series " + metadata.seriesUid() + ": "
                        + e.getMessage(), e);
            }
            files.add(file);
        }
        return files;
    }

    private static AttributeList slice(Volume volume, MrSeriesMetadata m, Quantisation q, int k)
            throws DicomException {
        Attributes a = new Attributes();
        a.put("SOPClassUID", SOPClass.MRImageStorage);
        a.put("SOPInstanceUID", Uids.instanceOf(m.seriesUid(), k));
        // Patient
        a.put("PatientName", m.patientName());
        a.put("PatientID", m.patientId());
        a.put("IssuerOfPatientID", m.issuerOfPatientId());
        a.put("PatientBirthDate", m.birthDate() == null ? "" : m.birthDate().format(DA));
        a.put("PatientSex", m.sex());
        // Study
        a.put("StudyInstanceUID", m.studyUid());
        a.put("StudyDate", m.studyDate().format(DA));
        a.put("StudyTime", m.studyTime().format(TM));
        a.put("ReferringPhysicianName", "");
        a.put("StudyID", "1");
        a.put("AccessionNumber", m.accessionNumber());
        a.put("StudyDescription", m.studyDescription());
        // Series and equipment
        a.put("Modality", "MR");
        a.put("SeriesInstanceUID", m.seriesUid());
        a.put("SeriesNumber", Integer.toString(m.seriesNumber()));
        a.put("SeriesDate", m.studyDate().format(DA));
        a.put("SeriesTime", m.studyTime().format(TM));
        a.put("SeriesDescription", m.seriesDescription());
        a.put("ProtocolName", m.seriesDescription());
        a.put("BodyPartExamined", "BRAIN");
        a.put("PatientPosition", "HFS");
        a.put("Manufacturer", "NeuroStream phantom");
        a.put("FrameOfReferenceUID", m.frameOfReferenceUid());
        a.put("PositionReferenceIndicator", "");
        // Image
        a.put("InstanceNumber", Integer.toString(k + 1));
        a.put("ContentDate", m.studyDate().format(DA));
        a.put("ContentTime", m.studyTime().format(TM));
        a.put("ImageType", "ORIGINAL", "PRIMARY", "M", "ND");
        mrAcquisition(a);
        geometry(a, volume, k);
        pixels(a, volume, q, k);
        return a.list;
    }

    /** What a typical 3D T1 MPRAGE declares. */
    private static void mrAcquisition(Attributes a) throws DicomException {
        a.put("ScanningSequence", "GR", "IR");
        a.put("SequenceVariant", "SP", "MP");
        a.put("ScanOptions", "");
        a.put("MRAcquisitionType", "3D");
        a.put("RepetitionTime", "2300");
        a.put("EchoTime", "2.98");
        a.put("InversionTime", "900");
        a.put("EchoTrainLength", "1");
        a.put("FlipAngle", "9");
        a.put("MagneticFieldStrength", "3");
        a.put("ImagedNucleus", "1H");
    }

    private static void geometry(Attributes a, Volume volume, int k) throws DicomException {
        double[] d = volume.direction();
        double[] s = volume.spacing();
        double[] position = volume.toPatient(0, 0, k);
        double[] normal = {
            d[3] * d[7] - d[6] * d[4], d[6] * d[1] - d[0] * d[7], d[0] * d[4] - d[3] * d[1]};
        a.putDecimals("ImagePositionPatient", position);
        a.putDecimals("ImageOrientationPatient", d[0], d[3], d[6], d[1], d[4], d[7]);
        // PixelSpacing is (between rows = along j, between columns = along i).
        a.putDecimals("PixelSpacing", s[1], s[0]);
        a.putDecimals("SliceThickness", s[2]);
        a.putDecimals("SpacingBetweenSlices", s[2]);
        a.putDecimals("SliceLocation",
                normal[0] * position[0] + normal[1] * position[1] + normal[2] * position[2]);
    }

    private static void pixels(Attributes a, Volume volume, Quantisation q, int k) throws DicomException {
        a.put("SamplesPerPixel", "1");
        a.put("PhotometricInterpretation", "MONOCHROME2");
        a.put("Rows", Integer.toString(volume.ny()));
        a.put("Columns", Integer.toString(volume.nx()));
        a.put("BitsAllocated", "16");
        a.put("BitsStored", "16");
        a.put("HighBit", "15");
        a.put("PixelRepresentation", "0");
        if (q.needed()) {
            a.putDecimals("RescaleIntercept", q.intercept());
            a.putDecimals("RescaleSlope", q.slope());
            a.put("RescaleType", "US");
        }
        a.putDecimals("WindowCenter", q.windowCentre());
        a.putDecimals("WindowWidth", q.windowWidth());
        int sliceSize = volume.nx() * volume.ny();
        short[] stored = new short[sliceSize];
        float[] data = volume.data();
        for (int n = 0; n < sliceSize; n++) {
            stored[n] = (short) q.store(data[k * sliceSize + n]);
        }
        OtherWordAttribute pixelData = new OtherWordAttribute(TagFromName.PixelData);
        pixelData.setValues(stored);
        a.list.put(pixelData);
    }

    /**
     * Series-wide linear mapping of float values onto 0..65535. Slope and intercept are taken from their DS text,
     * so a reader applying the written values recovers each value to within half a slope.
     */
    record Quantisation(boolean needed, double slope, double intercept, double windowCentre, double windowWidth) {
        static Quantisation of(float[] values) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            boolean integral = true;
            for (float v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                integral &= v == Math.rint(v);
            }
            double width = Math.max(max - min, 1);
            double centre = (max + min) / 2;
            if (integral && min >= 0 && max <= MAX_STORED) {
                return new Quantisation(false, 1, 0, centre, width);
            }
            double slope = Double.parseDouble(DecimalStrings.format(Math.max(max - min, 1e-6) / MAX_STORED));
            double intercept = Double.parseDouble(DecimalStrings.format(min));
            return new Quantisation(true, slope, intercept, centre, width);
        }

        int store(float value) {
            long stored = Math.round((value - intercept) / slope);
            return (int) Math.max(0, Math.min(MAX_STORED, stored));
        }
    }

    /** Adds attributes by DICOM keyword with the dictionary's VR (TagFromName lacks some MR keywords). */
    private static final class Attributes {
        final AttributeList list = new AttributeList();

        void put(String keyword, String... values) throws DicomException {
            Attribute attribute = list.putNewAttribute(DicomSliceReader.tag(keyword));
            for (String value : values) {
                if (!value.isEmpty()) {
                    attribute.addValue(value);
                }
            }
        }

        void putDecimals(String keyword, double... values) throws DicomException {
            String[] text = new String[values.length];
            for (int n = 0; n < values.length; n++) {
                text[n] = DecimalStrings.format(values[n]);
            }
            put(keyword, text);
        }
    }

    private MrSeriesWriter() {
    }
}
