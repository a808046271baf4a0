package org.neurostream.sink;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.StudyRef;

/** Tiny MR series written with PixelMed into a blob store, and the AnalysisResults that point at them. */
final class TestStudies {
    static final String PATIENT_NAME = "Doe^Jane";
    static final String PATIENT_ID = "NS-TEST-0001";

    private TestStudies() {
    }

    static StudyRef writeSeries(BlobStore blobs, String label, String studyDate, int instances)
            throws IOException, DicomException {
        String study = DeterministicUids.fromName("test/study/" + label);
        String series = DeterministicUids.fromName("test/series/" + label);
        List<InstanceRef> refs = new ArrayList<>();
        for (int i = 1; i <= instances; i++) {
            String sop = DeterministicUids.fromName("test/instance/" + label + "/" + i);
            byte[] bytes = mrInstance(study, series, sop, studyDate, i);
            refs.add(InstanceRef.newBuilder().setSopInstanceUid(sop).setSopClassUid(SOPClass.MRImageStorage)
                    .setInstanceNumber(i).setBlobRef(blobs.put(bytes)).build());
        }
        return StudyRef.newBuilder().setStudyInstanceUid(study).setSeriesInstanceUid(series)
                .setStudyDate(studyDate).setInstances(refs).build();
    }

    static AnalysisResult analysed(String resultId, StudyRef current, StudyRef prior, double pDecline) {
        return AnalysisResult.newBuilder()
                .setResultId(resultId)
                .setPairId("pair-" + resultId)
                .setPatientKey("pk-0001")
                .setStatus(AnalysisStatus.ANALYSED)
                .setReason("same protocol T1 3D, most recent prior")
                .setCurrent(current)
                .setPrior(prior)
                .setIntervalDays(365)
                .setPDecline(pDecline)
                .setModels(List.of(ModelInfo.newBuilder().setName("siamese-change").setVersion("1.0.0")
                        .setSha256("ab".repeat(32)).setDevice("cpu").build()))
                .setCreatedAtMillis(1_790_000_000_000L)
                .build();
    }

    static AnalysisResult noPrior(String resultId, StudyRef current) {
        return AnalysisResult.newBuilder().setResultId(resultId).setPatientKey("pk-0001")
                .setStatus(AnalysisStatus.NO_PRIOR).setReason("no earlier study of this patient")
                .setCurrent(current).setCreatedAtMillis(1_790_000_000_000L).build();
    }

    private static byte[] mrInstance(String study, String series, String sop, String studyDate, int number)
            throws IOException, DicomException {
        AttributeList list = new AttributeList();
        put(list, "SOPClassUID", SOPClass.MRImageStorage);
        put(list, "SOPInstanceUID", sop);
        put(list, "StudyInstanceUID", study);
        put(list, "SeriesInstanceUID", series);
        put(list, "PatientName", PATIENT_NAME);
        put(list, "PatientID", PATIENT_ID);
        put(list, "PatientBirthDate", "19500101");
        put(list, "PatientSex", "F");
        put(list, "StudyDate", studyDate);
        put(list, "StudyTime", "101500");
        put(list, "AccessionNumber", "ACC" + studyDate);
        put(list, "ReferringPhysicianName", "Who^Doctor");
        put(list, "StudyID", "1");
        put(list, "Modality", "MR");
        put(list, "SeriesNumber", "3");
        put(list, "InstanceNumber", String.valueOf(number));
        put(list, "ImageType", "ORIGINAL\\PRIMARY");
        put(list, "SamplesPerPixel", "1");
        put(list, "PhotometricInterpretation", "MONOCHROME2");
        put(list, "Rows", "4");
        put(list, "Columns", "4");
        put(list, "BitsAllocated", "16");
        put(list, "BitsStored", "16");
        put(list, "HighBit", "15");
        put(list, "PixelRepresentation", "0");
        Attribute pixels = new OtherWordAttribute(SrBuilder.tag("PixelData"));
        pixels.setValues(new short[16]);
        list.put(pixels);
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "NSTEST");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
        return out.toByteArray();
    }

    private static void put(AttributeList list, String name, String value) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(SrBuilder.tag(name));
        a.addValue(value);
        list.put(a);
    }
}
