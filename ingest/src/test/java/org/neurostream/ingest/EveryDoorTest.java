package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.pacs.LocalOrthanc;
import org.neurostream.schemas.SeriesReceived;

/**
 * One study through each of the four doors, each into its own ingest service and blob store, with real peers:
 * DCMTK's storescu (C-STORE), Orthanc's DICOMweb plugin as the STOW-RS client, a folder import, and Orthanc's
 * change log. The four events must be the same but for {@code source} and the timestamps, event id and blob
 * references included (blobs are content-addressed over the data set, whatever framing the door used).
 */
class EveryDoorTest {
    private static final String AE = "NS_DOORS";
    private static final String SALT = "doors-salt";
    private static final String TOKEN = "stow-secret-token";

    @TempDir
    Path dir;

    @Test
    void oneStudyThroughEveryDoorGivesTheSameEventButForItsSource() throws Exception {
        assumeTrue(Dcmtk.available(), "DCMTK is not installed");
        assumeTrue(OrthancPeer.available(), "Orthanc with its DICOMweb plugin is not installed");
        TestMrSeries series = TestMrSeries.write(Files.createDirectories(dir.resolve("study")), 6);
        Map<String, SeriesReceived> events = new LinkedHashMap<>();

        try (LocalOrthanc orthanc = OrthancPeer.start(dir.resolve("orthanc"))) {
            // Change feed first: on its first start it begins at Orthanc's current position.
            RecordingPublisher fromChanges = new RecordingPublisher();
            try (IngestService feed = start("changes", fromChanges, c -> c.withChangeFeed(
                    new IngestConfig.ChangeFeedOptions(orthanc.restUrl(), Duration.ofMillis(200),
                            dir.resolve("changes-state.properties"), "", "")))) {
                Await.until(() -> feed.changeFeed().position() >= 0, Duration.ofSeconds(10), "feed started");
                String studyId = OrthancPeer.upload(orthanc, series.files);
                Await.until(() -> fromChanges.events.size() == 1, Duration.ofSeconds(30), "StableStudy picked up");
                events.put("orthanc-changes", fromChanges.events.get(0));

                RecordingPublisher fromStow = new RecordingPublisher();
                try (IngestService stow = start("stow", fromStow, c -> c.withStow(
                        new IngestConfig.StowOptions(0, TOKEN, 64L << 20)))) {
                    OrthancPeer.registerDicomWebServer(orthanc, "neurostream",
                            "http://127.0.0.1:" + stow.stowPort() + "/", TOKEN);
                    HttpResponse<String> stowed = OrthancPeer.stow(orthanc, "neurostream", studyId);
                    assertThat(stowed.statusCode()).as(stowed.body()).isEqualTo(200);
                    Await.until(() -> fromStow.events.size() == 1, Duration.ofSeconds(30), "STOW-RS series");
                    assertThat(stow.metrics().storedCount()).isEqualTo(6);
                }
                events.put("stow-rs", fromStow.events.get(0));
            }
        }

        RecordingPublisher fromCStore = new RecordingPublisher();
        try (IngestService cstore = start("cstore", fromCStore, c -> c)) {
            Dcmtk.Result sent = Dcmtk.storescu(cstore.port(), AE, "SCANNER1", series.files);
            assertThat(sent.exitCode()).as(sent.output()).isZero();
            Await.until(() -> fromCStore.events.size() == 1, Duration.ofSeconds(30), "C-STORE series");
        }
        events.put("c-store", fromCStore.events.get(0));

        RecordingPublisher fromImport = new RecordingPublisher();
        try (IngestPipeline pipeline = new IngestPipeline(config("import"), new SimpleMeterRegistry(),
                Clock.systemUTC(), fromImport).start()) {
            Path root = dir.resolve("study");
            FolderImporter.Report report = new FolderImporter(pipeline, 2).importTree(root,
                    FolderImporter.defaultJournal(dir.resolve("blobs-import"), root));
            assertThat(report.stored()).isEqualTo(6);
        }
        events.put("import", fromImport.events.get(0));

        assertThat(events.get("c-store").getSource()).isEqualTo("c-store:SCANNER1");
        assertThat(events.get("stow-rs").getSource()).isEqualTo("stow-rs:127.0.0.1");
        assertThat(events.get("import").getSource()).isEqualTo(FolderImporter.importSource(dir.resolve("study")));
        assertThat(events.get("orthanc-changes").getSource()).startsWith("orthanc-changes:http://localhost:");
        SeriesReceived reference = withoutSourceAndTimes(events.get("c-store"));
        assertThat(reference.getSeriesInstanceUid()).isEqualTo(series.seriesUid);
        assertThat(reference.getInstances()).hasSize(6);
        events.forEach((door, event) -> assertThat(withoutSourceAndTimes(event)).as(door).isEqualTo(reference));
    }

    private IngestService start(String name, SeriesPublisher publisher,
            java.util.function.UnaryOperator<IngestConfig> door) throws Exception {
        return new IngestService(door.apply(config(name)), new SimpleMeterRegistry(), Clock.systemUTC(), publisher)
                .start();
    }

    private IngestConfig config(String name) {
        return new IngestConfig(AE, 0, dir.resolve("blobs-" + name), Duration.ofMillis(400), "unused:9092", "test",
                SALT);
    }

    static SeriesReceived withoutSourceAndTimes(SeriesReceived event) {
        return SeriesReceived.newBuilder(event).setSource("").setFirstReceivedAtMillis(0).setCompletedAtMillis(0)
                .build();
    }
}
