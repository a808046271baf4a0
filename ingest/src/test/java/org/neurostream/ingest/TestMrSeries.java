package org.neurostream.ingest;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Writes a small synthetic brain MR series (Part 10, explicit VR little endian) with PixelMed, for tests. */
final class TestMrSeries {
    static final String PATIENT_ID = "PID-0042-SECRET";
    static final String ISSUER = "HOSPITAL-A";
    static final int ROWS = 32;
    static final int COLUMNS = 24;

    final String studyUid = newUid();
    final String seriesUid = newUid();
    final List<String> sopUids = new ArrayList<>();
    final List<Path> files = new ArrayList<>();

    /** {@code count} slices into {@code dir}, instance numbers 1..count, written in reverse order on purpose. */
    static TestMrSeries write(Path dir, int count) throws Exception {
        TestMrSeries series = new TestMrSeries();
        for (int i = count; i >= 1; i--) {
            String sopUid = newUid();
            Path file = dir.resolve("slice-" + i + ".dcm");
            series.writeSlice(file, sopUid, i, ROWS * COLUMNS);
            series.sopUids.add(0, sopUid);
            series.files.add(0, file);
        }
        return series;
    }

    /** One more slice of this series whose pixel data is shorter than its header promises. */
    Path writeShortPixelData(Path file) throws Exception {
        writeSlice(file, newUid(), 999, ROWS * COLUMNS / 2);
        return file;
    }

    /** An object with the MR SOP class but no patient, study or series: valid DICOM, useless to ingest. */
    static Path writeNonImage(Path file) throws Exception {
        AttributeList list = new AttributeList();
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.MRImageStorage);
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), newUid());
        put(list, new LongStringAttribute(TagFromName.ContentDescription), "this is not an image");
        writeFile(list, file);
        return file;
    }

    /** A valid Part 10 meta header (as the SCP writes one) followed by {@code body} as the "data set". */
    static Path writeMetaHeaderFollowedBy(Path file, byte[] body) throws Exception {
        FileMetaInformation meta = new FileMetaInformation(SOPClass.MRImageStorage, newUid(),
                TransferSyntax.ExplicitVRLittleEndian, "TESTSCU");
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
            com.pixelmed.dicom.DicomOutputStream dout = new com.pixelmed.dicom.DicomOutputStream(out,
                    TransferSyntax.ExplicitVRLittleEndian, null);
            meta.getAttributeList().write(dout);
            dout.flush();
            out.write(body);
        }
        return file;
    }

    private void writeSlice(Path file, String sopUid, int instanceNumber, int pixelCount) throws Exception {
        AttributeList list = new AttributeList();
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.MRImageStorage);
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), sopUid);
        put(list, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), studyUid);
        put(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), seriesUid);
        put(list, new PersonNameAttribute(TagFromName.PatientName), "Doe^Jane");
        put(list, new LongStringAttribute(TagFromName.PatientID), PATIENT_ID);
        put(list, new LongStringAttribute(TagFromName.IssuerOfPatientID), ISSUER);
        put(list, new DateAttribute(TagFromName.StudyDate), "20260315");
        put(list, new CodeStringAttribute(TagFromName.Modality), "MR");
        put(list, new LongStringAttribute(TagFromName.SeriesDescription), "T1 MPRAGE SAG");
        put(list, new LongStringAttribute(TagFromName.ProtocolName), "t1_mprage_sag");
        putMulti(list, new CodeStringAttribute(TagFromName.ImageType), "ORIGINAL", "PRIMARY", "M", "ND");
        putMulti(list, new CodeStringAttribute(tag("ScanningSequence")), "GR", "IR");
        putMulti(list, new CodeStringAttribute(tag("SequenceVariant")), "SP", "MP");
        put(list, new CodeStringAttribute(TagFromName.MRAcquisitionType), "3D");
        put(list, new CodeStringAttribute(TagFromName.BodyPartExamined), "BRAIN");
        put(list, new IntegerStringAttribute(TagFromName.InstanceNumber), Integer.toString(instanceNumber));
        putMulti(list, new DecimalStringAttribute(TagFromName.PixelSpacing), "0.9", "0.8");
        put(list, new DecimalStringAttribute(TagFromName.SliceThickness), "1.2");
        putMulti(list, new DecimalStringAttribute(TagFromName.ImageOrientationPatient), "0", "1", "0", "0", "0", "-1");
        putMulti(list, new DecimalStringAttribute(TagFromName.ImagePositionPatient),
                Double.toString(instanceNumber * 1.2), "-100", "100");
        put(list, new UnsignedShortAttribute(TagFromName.Rows), Integer.toString(ROWS));
        put(list, new UnsignedShortAttribute(TagFromName.Columns), Integer.toString(COLUMNS));
        put(list, new UnsignedShortAttribute(TagFromName.SamplesPerPixel), "1");
        put(list, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
        put(list, new UnsignedShortAttribute(TagFromName.BitsAllocated), "16");
        put(list, new UnsignedShortAttribute(TagFromName.BitsStored), "12");
        put(list, new UnsignedShortAttribute(TagFromName.HighBit), "11");
        put(list, new UnsignedShortAttribute(TagFromName.PixelRepresentation), "0");
        short[] pixels = new short[pixelCount];
        for (int p = 0; p < pixels.length; p++) {
            pixels[p] = (short) ((p * 7 + instanceNumber * 13) % 4096);
        }
        Attribute pixelData = new OtherWordAttribute(TagFromName.PixelData);
        pixelData.setValues(pixels);
        list.put(pixelData);
        writeFile(list, file);
    }

    private static void writeFile(AttributeList list, Path file) throws Exception {
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "TESTSCU");
        File target = file.toFile();
        list.write(target, TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    private static void put(AttributeList list, Attribute attribute, String value) throws Exception {
        attribute.addValue(value);
        list.put(attribute);
    }

    private static void putMulti(AttributeList list, Attribute attribute, String... values) throws Exception {
        for (String v : values) {
            attribute.addValue(v);
        }
        list.put(attribute);
    }

    private static AttributeTag tag(String name) {
        return DicomDictionary.StandardDictionary.getTagFromName(name);
    }

    static String newUid() {
        // 2.25 + the UUID as a decimal integer (DICOM PS3.5 B.2).
        UUID uuid = UUID.randomUUID();
        java.math.BigInteger value = new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
        return "2.25." + value;
    }
}
