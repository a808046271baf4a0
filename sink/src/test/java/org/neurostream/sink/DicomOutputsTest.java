package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.schemas.AnalysisResult;

/**
 * The TID 1500 SR, the SEG and the key image of a result with new lesions and tissue labels, on a real MR series
 * in a blob store, checked by DCMTK and dicom3tools.
 */
class DicomOutputsTest {
    @TempDir
    static Path tmp;
    static FileBlobStore blobs;
    static AnalysisResult result;
    static ResultPackage pkg;

    @BeforeAll
    static void build() throws Exception {
        blobs = new FileBlobStore(tmp.resolve("blobs"));
        result = TestStudies.withLesionsAndTissue(blobs, "lesions-1",
                TestStudies.writeFlair(blobs, "flair-current", "20260112"),
                TestStudies.writeFlair(blobs, "flair-prior", "20250110"));
        pkg = new ResultPackager(blobs).build(result);
    }

    @Test
    void packageHoldsSrSegAndKeyImageWithIdsFromTheResult() throws Exception {
        assertThat(pkg.objects()).extracting(DicomObject::kind).containsExactly("sr", "seg", "key-image");
        assertThat(pkg.sr().sopInstanceUid()).isEqualTo(DeterministicUids.srSopInstanceUid("lesions-1"));
        assertThat(pkg.object("seg").orElseThrow().sopInstanceUid())
                .isEqualTo(DeterministicUids.segSopInstanceUid("lesions-1"));
        assertThat(pkg.keyImagePng()).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        ResultPackage again = new ResultPackager(blobs).build(result);
        for (int i = 0; i < pkg.objects().size(); i++) {
            assertThat(Arrays.equals(again.objects().get(i).bytes(), pkg.objects().get(i).bytes())).isTrue();
        }
        // 1 P(decline) + 2 lesions + 2 totals + 2 x 5 tissue + PBVC + ventricle change
        assertThat(pkg.measurements()).hasSize(17);
    }

    @Test
    void srPassesDciodvfyAndDsrdumpReadsTheMeasurementReport() throws Exception {
        assumeTrue(DicomTools.available("dciodvfy") && DicomTools.available("dsrdump"), "tools not installed");
        Path file = write(pkg.sr());
        assertNoErrors(file);
        DicomTools.Run dump = DicomTools.run("dsrdump", "+Pl", file.toString());
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        assertThat(dump.output())
                .contains("Imaging Measurement Report")
                .contains("Procedure reported").contains("MR Brain")
                .contains("Image Library").contains(result.getPrior().getSeriesInstanceUid())
                .contains("Measurement Group").contains("new lesion 1").contains("new lesion 2")
                .contains("left periventricular white matter")
                .contains("0.0270").contains("mL")
                .contains("Number of new lesions").contains("Total volume of new lesions")
                .contains("Grey matter volume").contains("Subject Time Point Identifier")
                .contains("Percent brain volume change").contains("-1.2900")
                .contains("Probability of decline").contains("0.8700").contains("Decline")
                .contains("Referenced Segment").contains("Algorithm Name").contains("new-lesion-segmenter")
                .contains("Qualitative Evaluations").contains("New lesions present")
                .contains("not for clinical use");
    }

    @Test
    void segPassesDciodvfyAndDcmdumpReadsItsFramesAndReferences() throws Exception {
        assumeTrue(DicomTools.available("dciodvfy") && DicomTools.available("dcmdump"), "tools not installed");
        DicomObject seg = pkg.object("seg").orElseThrow();
        Path file = write(seg);
        assertNoErrors(file);
        DicomTools.Run dump = DicomTools.run("dcmdump", file.toString());
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        assertThat(dump.output()).contains("BINARY").contains("Lesion").contains("grey matter")
                .contains(result.getCurrent().getSeriesInstanceUid());
        AttributeList list = SrBuilderTest.read(seg.bytes());
        // lesion frames: slices 2, 3, 4; tissue: 6 slices for each of 3 labels
        assertThat(Attribute.getSingleIntegerValueOrDefault(list, SrBuilder.tag("NumberOfFrames"), 0))
                .isEqualTo(3 + 3 * 6);
        assertThat(Attribute.getSingleStringValueOrNull(list, SrBuilder.tag("FrameOfReferenceUID")))
                .isEqualTo(org.neurostream.imaging.Uids.fromName("test/frame/flair-current"));
    }

    @Test
    void keyImagePassesDciodvfy() throws Exception {
        assumeTrue(DicomTools.available("dciodvfy"), "dicom3tools dciodvfy not installed");
        assertNoErrors(write(pkg.object("key-image").orElseThrow()));
    }

    @Test
    void bitPackingPutsTheFirstPixelInTheLowestBitAndRunsAcrossFrames() {
        byte[] a = {1, 0, 0, 0, 0};
        byte[] b = {0, 0, 0, 1, 1};
        assertThat(SegBuilder.pack(List.of(a, b), 5)).containsExactly(0b0000_0001, 0b0000_0011);
    }

    private static Path write(DicomObject o) throws Exception {
        return Files.write(tmp.resolve(o.kind() + "-" + o.sopInstanceUid() + ".dcm"), o.bytes());
    }

    private static void assertNoErrors(Path file) throws Exception {
        DicomTools.Run check = DicomTools.run("dciodvfy", file.toString());
        List<String> errors = check.output().lines().filter(l -> l.startsWith("Error")).toList();
        assertThat(errors).as(check.output()).isEmpty();
        check.output().lines().filter(l -> l.startsWith("Warning"))
                .forEach(l -> System.out.println("dciodvfy " + file.getFileName().toString().split("-")[0] + ": " + l));
    }
}
