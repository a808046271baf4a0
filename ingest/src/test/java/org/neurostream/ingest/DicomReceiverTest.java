package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.StorageSOPClassSCU;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.SeriesReceived;

/** The SCP against real DCMTK tools (and PixelMed's SCU for payloads DCMTK refuses to send). */
class DicomReceiverTest {
    private static final String AE = "NS_TEST";
    private static final String SALT = "test-salt";

    @TempDir
    Path dir;

    private final RecordingPublisher publisher = new RecordingPublisher();
    private IngestService service;
    private Path blobDir;

    @BeforeAll
    static void needsDcmtk() {
        assumeTrue(Dcmtk.available(), "DCMTK (storescu, echoscu) is not installed");
    }

    @BeforeEach
    void startService() throws Exception {
        blobDir = dir.resolve("blobs");
        service = startService(publisher);
    }

    private IngestService startService(SeriesPublisher to) throws Exception {
        IngestConfig config = new IngestConfig(AE, 0, blobDir, Duration.ofMillis(500), "unused:9092",
                "test", SALT);
        return new IngestService(config, new SimpleMeterRegistry(), Clock.systemUTC(), to).start();
    }

    @AfterEach
    void stopService() {
        service.close();
    }

    @Test
    void answersEcho() throws Exception {
        Dcmtk.Result echo = Dcmtk.echoscu(service.port(), AE);

        assertThat(echo.exitCode()).as(echo.output()).isZero();
        assertThat(echo.output()).contains("Received Echo Response (Success)");
    }

    @Test
    void seriesBecomesOneEventWhoseBlobsHoldTheReceivedObjects() throws Exception {
        TestMrSeries series = TestMrSeries.write(Files.createDirectory(dir.resolve("series")), 5);

        try (LogCapture logs = new LogCapture()) {
            Dcmtk.Result store = Dcmtk.storescu(service.port(), AE, series.files);
            assertThat(store.exitCode()).as(store.output()).isZero();
            awaitUntil(() -> publisher.events.size() == 1);

            SeriesReceived event = publisher.events.get(0);
            assertThat(event.getSeriesInstanceUid()).isEqualTo(series.seriesUid);
            assertThat(event.getStudyInstanceUid()).isEqualTo(series.studyUid);
            assertThat(event.getPatientKey())
                    .isEqualTo(new PatientKeyDeriver(SALT).derive(TestMrSeries.ISSUER, TestMrSeries.PATIENT_ID));
            assertThat(event.getSource()).isEqualTo("c-store:TESTSCU");
            assertThat(event.getScanningSequence()).isEqualTo("GR\\IR");
            assertThat(event.getInstances()).extracting(InstanceRef::getSopInstanceUid)
                    .containsExactlyElementsOf(series.sopUids);
            assertThat(event.getInstances()).extracting(InstanceRef::getInstanceNumber)
                    .containsExactly(1, 2, 3, 4, 5);
            for (int i = 0; i < 5; i++) {
                assertBlobHoldsTheSameDataSet(event.getInstances().get(i).getBlobRef(), series.files.get(i));
            }
            assertThat(logs.text()).contains(series.seriesUid).doesNotContain(TestMrSeries.PATIENT_ID);
        }
        assertThat(service.metrics().storedCount()).isEqualTo(5);
        assertThat(spooledFiles()).as("the SCP's temporary files are removed").isEmpty();
    }

    @Test
    void reSendingTheSameSeriesAddsNoDuplicates() throws Exception {
        TestMrSeries series = TestMrSeries.write(Files.createDirectory(dir.resolve("series")), 3);
        List<Path> twice = new ArrayList<>(series.files);
        twice.addAll(series.files);

        Dcmtk.storescu(service.port(), AE, twice);
        awaitUntil(() -> publisher.events.size() == 1);
        assertThat(publisher.events.get(0).getInstances()).hasSize(3);

        Dcmtk.Result again = Dcmtk.storescu(service.port(), AE, series.files); // after completion
        assertThat(again.exitCode()).isZero();
        awaitUntil(() -> service.metrics().storedCount() == 9 && service.openSeriesCount() == 0);

        assertThat(publisher.events).hasSize(1);
    }

    @Test
    void aSeriesWhosePublishFailedIsAnnouncedAgainWhenReSent() throws Exception {
        service.close();
        RecordingPublisher failingOnce = new RecordingPublisher(1);
        service = startService(failingOnce);
        TestMrSeries series = TestMrSeries.write(Files.createDirectory(dir.resolve("series")), 3);

        assertThat(Dcmtk.storescu(service.port(), AE, series.files).exitCode()).isZero();
        awaitUntil(() -> failingOnce.events.size() == 1); // Kafka did not take it

        assertThat(Dcmtk.storescu(service.port(), AE, series.files).exitCode()).isZero(); // unchanged re-send
        awaitUntil(() -> failingOnce.events.size() == 2);

        assertThat(failingOnce.events.get(1).getEventId()).isEqualTo(failingOnce.events.get(0).getEventId());
        assertThat(failingOnce.events.get(1).getInstances()).hasSize(3);
    }

    @Test
    void badObjectsAreRefusedAndTheReceiverKeepsServing() throws Exception {
        TestMrSeries good = TestMrSeries.write(Files.createDirectory(dir.resolve("good")), 4);
        Path notDicom = Files.writeString(dir.resolve("report.txt"), "Findings: none. This is not DICOM.\n");
        Path cutOff = cutOff(good.files.get(0), dir.resolve("cut-off.dcm"));
        Path shortPixels = TestMrSeries.write(Files.createDirectory(dir.resolve("other")), 1)
                .writeShortPixelData(dir.resolve("short-pixels.dcm"));
        Path nonImage = TestMrSeries.writeNonImage(dir.resolve("non-image.dcm"));

        try (LogCapture logs = new LogCapture()) {
            // storescu parses every file first: it refuses the text and the cut-off file itself (never sent) and
            // sends the two well-formed but unusable objects, which the SCP refuses with a failure status.
            Dcmtk.Result store = Dcmtk.storescu(service.port(), AE, List.of(notDicom, cutOff, shortPixels, nonImage));
            assertThat(store.output())
                    .contains("Bad DICOM file: " + notDicom)
                    .contains("Bad DICOM file: " + cutOff)
                    .contains("Received Store Response (Error: DataSetDoesNotMatchSOPClass)");
            assertThat(service.metrics().rejectedCount("truncated-pixel-data")).isEqualTo(1);
            assertThat(service.metrics().rejectedCount("missing-attribute")).isEqualTo(1);

            // PixelMed's SCU streams a file's bytes after its meta header as they are: a real non-DICOM payload
            // and a real truncated one reach the SCP, which answers "cannot understand".
            Path textPayload = TestMrSeries.writeMetaHeaderFollowedBy(dir.resolve("text-payload.dcm"),
                    "Findings: none. This is not DICOM.\n".repeat(50).getBytes());
            assertThat(sendWithPixelMed(textPayload)).isFalse();
            assertThat(sendWithPixelMed(cutOff)).isFalse();
            assertThat(service.metrics().rejectedCount("unparseable")).isEqualTo(2);

            String log = logs.text();
            assertThat(log).contains("WARN").contains("rejected instance from c-store:TESTSCU")
                    .contains("truncated-pixel-data").contains("missing-attribute").contains("unparseable")
                    .doesNotContain(TestMrSeries.PATIENT_ID);
        }

        Dcmtk.Result store = Dcmtk.storescu(service.port(), AE, good.files);
        assertThat(store.exitCode()).as(store.output()).isZero();
        awaitUntil(() -> publisher.events.size() == 1);
        assertThat(publisher.events.get(0).getInstances()).hasSize(4);
        assertThat(publisher.events.get(0).getSeriesInstanceUid()).isEqualTo(good.seriesUid);
        assertThat(spooledFiles()).isEmpty();
    }

    @Test
    void stopsPromptlyAndFreesThePort() throws Exception {
        int port = service.port();
        service.close();

        try (java.net.ServerSocket again = new java.net.ServerSocket(port)) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    /** True when PixelMed's SCU reports the store as completed (not failed). */
    private boolean sendWithPixelMed(Path file) throws Exception {
        AttributeList meta = new AttributeList();
        meta.readOnlyMetaInformationHeader(file.toFile());
        SetOfDicomFiles files = new SetOfDicomFiles();
        files.add(file.toString(), SOPClass.MRImageStorage,
                meta.get(TagFromName.MediaStorageSOPInstanceUID).getSingleStringValueOrEmptyString(),
                meta.get(TagFromName.TransferSyntaxUID).getSingleStringValueOrEmptyString());
        int[] failed = {-1};
        new StorageSOPClassSCU("localhost", service.port(), AE, "PIXELMEDSCU", files, 0,
                new MultipleInstanceTransferStatusHandler() {
                    @Override
                    public void updateStatus(int remaining, int completed, int nFailed, int warning, String sop) {
                        failed[0] = nFailed;
                    }
                });
        return failed[0] == 0;
    }

    private void assertBlobHoldsTheSameDataSet(String blobRef, Path original) throws Exception {
        byte[] blob = service.blobStore().read(blobRef);
        assertThat("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob)))
                .isEqualTo(blobRef);
        // storescu re-encodes nothing here (same transfer syntax): the data set after the meta header is
        // byte-identical; the meta header is ours (source AE, implementation UID).
        assertThat(dataSetBytes(blob)).isEqualTo(dataSetBytes(Files.readAllBytes(original)));
        AttributeList list = new AttributeList();
        list.read(new com.pixelmed.dicom.DicomInputStream(new java.io.ByteArrayInputStream(blob)));
        assertThat(list.get(TagFromName.SOPClassUID).getSingleStringValueOrEmptyString())
                .isEqualTo(SOPClass.MRImageStorage);
    }

    /** Bytes after the Part 10 meta header (preamble, "DICM", group 0002 with its group length). */
    private static byte[] dataSetBytes(byte[] part10) {
        int groupLengthValue = 132 + 8; // (0002,0000) UL, 4-byte value after an 8-byte element header
        int metaLength = java.nio.ByteBuffer.wrap(part10, groupLengthValue, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        return Arrays.copyOfRange(part10, groupLengthValue + 4 + metaLength, part10.length);
    }

    private static Path cutOff(Path file, Path target) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        return Files.write(target, Arrays.copyOf(bytes, bytes.length - 500));
    }

    private List<Path> spooledFiles() throws Exception {
        try (Stream<Path> files = Files.list(blobDir.resolve("incoming"))) {
            return files.toList();
        }
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
