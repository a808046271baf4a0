package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.pacs.LocalOrthanc;

/** A real Orthanc: C-STORE of the SR, found again through REST, then the folder target. */
class OrthancDeliveryTest {
    @TempDir
    static Path tmp;
    static LocalOrthanc orthanc;
    static ResultPackage pkg;
    static DicomObject sr;

    @BeforeAll
    static void startOrthancAndBuildSr() throws Exception {
        assumeTrue(Files.isExecutable(LocalOrthanc.DEFAULT_EXECUTABLE), "Orthanc not installed");
        orthanc = LocalOrthanc.builder(tmp.resolve("orthanc")).aet("NSPACS").start();
        FileBlobStore blobs = new FileBlobStore(tmp.resolve("blobs"));
        pkg = new ResultPackager(blobs).build(TestStudies.analysed("orthanc-1",
                TestStudies.writeSeries(blobs, "c", "20260101", 2), TestStudies.writeSeries(blobs, "p", "20250101", 2),
                0.7));
        sr = pkg.sr();
    }

    @AfterAll
    static void stopOrthanc() {
        if (orthanc != null) {
            orthanc.stop();
            assertThat(orthanc.isRunning()).isFalse();
        }
    }

    @Test
    void cStoreTwiceKeepsOneInstanceFoundByItsUid() throws Exception {
        DicomStoreTarget pacs = new DicomStoreTarget("localhost", orthanc.dicomPort(), orthanc.aet(), "NEUROSTREAM",
                orthanc.restUrl());
        String location = pacs.deliver(pkg).location();
        String again = pacs.deliver(pkg).location();

        Optional<String> id = orthanc.findInstanceId(sr.sopInstanceUid());
        assertThat(id).isPresent();
        assertThat(location).isEqualTo(orthanc.instanceUrl(id.get())).isEqualTo(again);
        assertThat(orthanc.findInstanceId("2.25.1")).isEmpty();
        var stored = SrBuilderTest.read(orthanc.downloadInstance(id.get())); // Orthanc rewrites the meta header
        assertThat(com.pixelmed.dicom.Attribute.getSingleStringValueOrNull(stored, SrBuilder.tag("SOPInstanceUID")))
                .isEqualTo(sr.sopInstanceUid());
        assertThat(orthanc.countInstances()).isEqualTo(1);
        assertThat(orthanc.getJson("/instances/" + id.get() + "/simplified-tags").get("Modality").asText())
                .isEqualTo("SR");
    }

    @Test
    void unreachablePacsFailsWithTheEndpointInTheMessage() {
        int closedPort = LocalOrthanc.freePort();
        DicomStoreTarget pacs = new DicomStoreTarget("localhost", closedPort, "NOBODY", "NEUROSTREAM", null);
        assertThatThrownBy(() -> pacs.deliver(pkg))
                .hasMessageContaining("NOBODY@localhost:" + closedPort);
    }

    @Test
    void folderTargetWritesOnceAndLeavesAnIdenticalFileAlone() throws Exception {
        Path out = tmp.resolve("out");
        FolderTarget folder = new FolderTarget(out);
        Path written = Path.of(folder.deliver(pkg).location());
        assertThat(written).hasFileName(sr.sopInstanceUid() + ".dcm");
        long modified = Files.getLastModifiedTime(written).toMillis();
        Files.setLastModifiedTime(written, java.nio.file.attribute.FileTime.fromMillis(modified - 60_000));

        assertThat(folder.deliver(pkg).alreadyPresent()).isTrue();
        assertThat(Files.getLastModifiedTime(written).toMillis()).isEqualTo(modified - 60_000);
        try (var files = Files.list(out)) {
            assertThat(files).containsExactly(written);
        }
        assertThat(Files.readAllBytes(written)).isEqualTo(sr.bytes());
    }
}
