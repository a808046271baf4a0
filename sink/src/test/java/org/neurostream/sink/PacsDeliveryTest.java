package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.pacs.LocalOrthanc;

/** SR, SEG and key image into a real Orthanc, by C-STORE and by DICOMweb STOW-RS; twice is still once. */
class PacsDeliveryTest {
    @TempDir
    static Path tmp;
    static LocalOrthanc orthanc;
    static FileBlobStore blobs;
    static ResultPackage byCStore;
    static ResultPackage byStow;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(LocalOrthanc.DEFAULT_EXECUTABLE), "Orthanc not installed");
        assumeTrue(Files.exists(LocalOrthanc.DICOMWEB_PLUGIN), "Orthanc DICOMweb plugin not installed");
        orthanc = LocalOrthanc.builder(tmp.resolve("orthanc")).aet("NSPACS").start();
        blobs = new FileBlobStore(tmp.resolve("blobs"));
        var current = TestStudies.writeFlair(blobs, "pacs-current", "20260112");
        var prior = TestStudies.writeFlair(blobs, "pacs-prior", "20250110");
        ResultPackager packager = new ResultPackager(blobs);
        byCStore = packager.build(TestStudies.withLesionsAndTissue(blobs, "pacs-cstore", current, prior));
        byStow = packager.build(TestStudies.withLesionsAndTissue(blobs, "pacs-stow", current, prior));
    }

    @AfterAll
    static void stop() {
        if (orthanc != null) {
            orthanc.stop();
        }
    }

    @Test
    void cStoreAndStowEachStoreSrSegAndKeyImageOnce() throws Exception {
        DicomStoreTarget cstore = new DicomStoreTarget("localhost", orthanc.dicomPort(), orthanc.aet(), "NEUROSTREAM",
                orthanc.restUrl());
        StowTarget stow = new StowTarget(orthanc.restUrl() + "/dicom-web", null, Duration.ofSeconds(10));

        DeliveryTarget.Delivered first = cstore.deliver(byCStore);
        assertThat(first.objectIds()).hasSize(3);
        DeliveryTarget.Delivered stowed = stow.deliver(byStow);
        assertThat(stowed.objectIds()).hasSize(3);
        for (ResultPackage p : new ResultPackage[] {byCStore, byStow}) {
            for (DicomObject o : p.objects()) {
                String id = orthanc.findInstanceId(o.sopInstanceUid()).orElseThrow(
                        () -> new AssertionError(o.kind() + " " + o.sopInstanceUid() + " not in Orthanc"));
                assertThat(orthanc.getJson("/instances/" + id + "/simplified-tags").get("SOPClassUID").asText())
                        .isEqualTo(o.sopClassUid());
            }
        }
        assertThat(orthanc.countInstances()).isEqualTo(6);

        cstore.deliver(byCStore);
        stow.deliver(byStow);
        stow.deliver(byCStore); // the other door, same objects
        assertThat(orthanc.countInstances()).isEqualTo(6);
        assertThat(orthanc.getJson("/instances/" + orthanc.findInstanceId(byStow.object("seg").orElseThrow()
                .sopInstanceUid()).orElseThrow() + "/simplified-tags").get("Modality").asText()).isEqualTo("SEG");
    }

    @Test
    void stowToAPeerThatIsDownFailsWithTheUrl() {
        int closed = LocalOrthanc.freePort();
        StowTarget stow = new StowTarget("http://localhost:" + closed + "/dicom-web", null, Duration.ofSeconds(2));
        assertThatThrownBy(() -> stow.deliver(byStow)).hasMessageContaining("localhost:" + closed);
    }
}
