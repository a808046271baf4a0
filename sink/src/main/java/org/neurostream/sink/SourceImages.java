package org.neurostream.sink;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.StudyRef;

/**
 * Reads source instances from the blob store and holds the DICOM plumbing the builders share (copying the patient
 * and study modules, writing Part 10).
 * Failures name only the exception type, the SOP Instance UID and the blob ref: PixelMed's messages may quote
 * element values (the patient's name, id, birth date, accession number), and this message ends up in a log line
 * and a dead letter. The cause is left out for the same reason.
 */
final class SourceImages {
    /** The Patient and General Study attributes copied from the source image (Type 2 ones added empty if absent). */
    private static final List<String> COPIED_FROM_SOURCE = List.of(
            "SpecificCharacterSet", "PatientName", "PatientID", "IssuerOfPatientID", "PatientBirthDate", "PatientSex",
            "StudyDate", "StudyTime", "AccessionNumber", "ReferringPhysicianName", "StudyID", "StudyDescription");
    private static final List<String> TYPE_2 = List.of(
            "PatientName", "PatientID", "PatientBirthDate", "PatientSex",
            "StudyDate", "StudyTime", "AccessionNumber", "ReferringPhysicianName", "StudyID");

    private final BlobStore blobs;

    SourceImages(BlobStore blobs) {
        this.blobs = blobs;
    }

    AttributeList header(InstanceRef instance) throws IOException {
        return read(instance, true);
    }

    AttributeList full(InstanceRef instance) throws IOException {
        return read(instance, false);
    }

    static InstanceRef find(StudyRef study, String sopInstanceUid) {
        for (InstanceRef i : study.getInstances()) {
            if (i.getSopInstanceUid().equals(sopInstanceUid)) {
                return i;
            }
        }
        throw new IllegalArgumentException("frame source " + sopInstanceUid + " is not an instance of series "
                + study.getSeriesInstanceUid());
    }

    private AttributeList read(InstanceRef instance, boolean headerOnly) throws IOException {
        InputStream blob = blobs.open(instance.getBlobRef()); // the blob store's own messages name only the ref
        AttributeList list = new AttributeList();
        try (InputStream in = new BufferedInputStream(blob); DicomInputStream din = new DicomInputStream(in)) {
            if (headerOnly) {
                list.read(din, tag("PixelData"));
            } else {
                list.read(din);
            }
        } catch (IOException | DicomException | RuntimeException e) {
            throw new IOException("cannot read the header of instance " + instance.getSopInstanceUid() + " (blob "
                    + instance.getBlobRef() + "): " + e.getClass().getSimpleName());
        }
        return list;
    }

    static void copyPatientAndStudy(AttributeList source, AttributeList target) throws DicomException {
        for (String name : COPIED_FROM_SOURCE) {
            Attribute a = source.get(tag(name));
            if (a != null) {
                target.put(a);
            } else if (TYPE_2.contains(name)) {
                target.put(AttributeFactory.newAttribute(tag(name)));
            }
        }
    }

    static ResultPackage.PatientInfo patient(AttributeList source) {
        return new ResultPackage.PatientInfo(string(source, "PatientID"), string(source, "IssuerOfPatientID"),
                string(source, "PatientName"), string(source, "PatientBirthDate"), string(source, "PatientSex"),
                string(source, "AccessionNumber"));
    }

    static String string(AttributeList list, String name) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag(name));
    }

    static void put(AttributeList list, String name, String... values) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(tag(name));
        for (String v : values) {
            a.addValue(v);
        }
        list.put(a);
    }

    static void putEmpty(AttributeList list, String name) throws DicomException {
        list.put(AttributeFactory.newAttribute(tag(name)));
    }

    static AttributeTag tag(String name) {
        AttributeTag t = DicomDictionary.StandardDictionary.getTagFromName(name);
        if (t == null) {
            throw new IllegalArgumentException("no DICOM attribute named " + name);
        }
        return t;
    }

    /** Declares our private coding scheme, so a reader can tell where the 99NEUROSTREAM codes come from. */
    static com.pixelmed.dicom.SequenceAttribute privateCodingScheme() throws DicomException {
        AttributeList item = new AttributeList();
        put(item, "CodingSchemeDesignator", Code.PRIVATE);
        put(item, "CodingSchemeUID", Code.PRIVATE_UID);
        put(item, "CodingSchemeName", "NeuroStream local concepts");
        put(item, "CodingSchemeResponsibleOrganization", "NeuroStream");
        com.pixelmed.dicom.SequenceAttribute seq =
                new com.pixelmed.dicom.SequenceAttribute(tag("CodingSchemeIdentificationSequence"));
        seq.addItem(item);
        return seq;
    }

    static byte[] part10(AttributeList list) throws DicomException, IOException {
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "NEUROSTREAM");
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
        return out.toByteArray();
    }
}
