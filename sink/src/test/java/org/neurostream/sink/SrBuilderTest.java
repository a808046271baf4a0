package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.StudyRef;

class SrBuilderTest {
    @TempDir
    Path tmp;
    FileBlobStore blobs;
    StudyRef prior;
    StudyRef current;

    @BeforeEach
    void writeStudies() throws Exception {
        blobs = new FileBlobStore(tmp.resolve("blobs"));
        prior = TestStudies.writeSeries(blobs, "prior", "20250110", 3);
        current = TestStudies.writeSeries(blobs, "current", "20260112", 2);
    }

    @Test
    void srIsInTheCurrentStudyWithPatientCopiedAndBothStudiesAsEvidence() throws Exception {
        DicomObject sr = new SrBuilder(blobs).build(TestStudies.analysed("r-1", current, prior, 0.83));
        AttributeList list = read(sr.bytes());

        assertThat(string(list, "StudyInstanceUID")).isEqualTo(current.getStudyInstanceUid());
        assertThat(string(list, "SOPInstanceUID")).isEqualTo(sr.sopInstanceUid()).startsWith("2.25.");
        assertThat(string(list, "SeriesInstanceUID")).isEqualTo(sr.seriesInstanceUid())
                .isNotEqualTo(current.getSeriesInstanceUid());
        assertThat(string(list, "Modality")).isEqualTo("SR");
        assertThat(string(list, "SeriesDescription")).isEqualTo("NeuroStream AI results");
        assertThat(string(list, "Manufacturer")).isEqualTo("NeuroStream");
        assertThat(string(list, "VerificationFlag")).isEqualTo("UNVERIFIED");
        assertThat(string(list, "PatientName")).isEqualTo(TestStudies.PATIENT_NAME);
        assertThat(string(list, "PatientID")).isEqualTo(TestStudies.PATIENT_ID);
        assertThat(string(list, "AccessionNumber")).isEqualTo("ACC20260112");
        assertThat(referencedInstances(list, "CurrentRequestedProcedureEvidenceSequence"))
                .containsExactlyElementsOf(current.getInstances().stream().map(i -> i.getSopInstanceUid()).toList());
        assertThat(referencedInstances(list, "PertinentOtherEvidenceSequence"))
                .containsExactlyElementsOf(prior.getInstances().stream().map(i -> i.getSopInstanceUid()).toList());
    }

    @Test
    void sameResultBuiltTwiceGivesTheSameUidsAndBytes() throws Exception {
        AnalysisResult result = TestStudies.analysed("r-2", current, prior, 0.2);
        DicomObject first = new SrBuilder(blobs).build(result);
        DicomObject second = new SrBuilder(blobs).build(result);
        assertThat(second.sopInstanceUid()).isEqualTo(first.sopInstanceUid());
        assertThat(second.seriesInstanceUid()).isEqualTo(first.seriesInstanceUid());
        assertThat(Arrays.equals(first.bytes(), second.bytes())).isTrue();

        DicomObject other = new SrBuilder(blobs).build(TestStudies.analysed("r-3", current, prior, 0.2));
        assertThat(other.sopInstanceUid()).isNotEqualTo(first.sopInstanceUid());
    }

    @Test
    void dsrdumpReadsTheReport() throws Exception {
        assumeTrue(DicomTools.available("dsrdump"), "DCMTK dsrdump not installed");
        Path file = write(new SrBuilder(blobs).build(TestStudies.analysed("r-4", current, prior, 0.83)));
        DicomTools.Run dump = DicomTools.run("dsrdump", "+Pl", file.toString());
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        assertThat(dump.output())
                .contains("Comprehensive SR Document")
                .contains("Imaging Measurement Report")
                .contains("Longitudinal brain MRI comparison")
                .contains("Probability of decline")
                .contains("0.8300")
                .contains("Decline")
                .contains("365")
                .contains("siamese-change")
                .contains(prior.getStudyInstanceUid())
                .contains("not for clinical use");
    }

    @Test
    void belowThresholdReadsStable() throws Exception {
        assumeTrue(DicomTools.available("dsrdump"), "DCMTK dsrdump not installed");
        Path file = write(new SrBuilder(blobs).build(TestStudies.analysed("r-5", current, prior, 0.12)));
        assertThat(DicomTools.run("dsrdump", file.toString()).output()).contains("Stable").doesNotContain("\"Decline\"");
    }

    @Test
    void dciodvfyFindsNoErrors() throws Exception {
        assumeTrue(DicomTools.available("dciodvfy"), "dicom3tools dciodvfy not installed");
        Path file = write(new SrBuilder(blobs).build(TestStudies.analysed("r-6", current, prior, 0.83)));
        DicomTools.Run check = DicomTools.run("dciodvfy", file.toString());
        List<String> errors = check.output().lines().filter(l -> l.startsWith("Error")).toList();
        assertThat(errors).as(check.output()).isEmpty();
    }

    @Test
    void refusesResultsWithoutAComparison() {
        assertThatThrownBy(() -> new SrBuilder(blobs).build(TestStudies.noPrior("r-7", current)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NO_PRIOR");
    }

    private Path write(DicomObject sr) throws Exception {
        return Files.write(tmp.resolve(sr.sopInstanceUid() + ".dcm"), sr.bytes());
    }

    static AttributeList read(byte[] bytes) throws Exception {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(bytes)));
        return list;
    }

    private static String string(AttributeList list, String name) {
        return Attribute.getSingleStringValueOrNull(list, SrBuilder.tag(name));
    }

    private static List<String> referencedInstances(AttributeList list, String evidenceName) {
        AttributeList study = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(
                list, SrBuilder.tag(evidenceName));
        AttributeList series = SequenceAttribute.getAttributeListFromWithinSequenceWithSingleItem(
                study, SrBuilder.tag("ReferencedSeriesSequence"));
        SequenceAttribute sops = (SequenceAttribute) series.get(SrBuilder.tag("ReferencedSOPSequence"));
        java.util.ArrayList<String> uids = new java.util.ArrayList<>();
        sops.iterator().forEachRemaining(item -> uids.add(
                Attribute.getSingleStringValueOrNull(item.getAttributeList(), SrBuilder.tag("ReferencedSOPInstanceUID"))));
        return uids;
    }
}
