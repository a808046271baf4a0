package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.pacs.LocalOrthanc;
import org.neurostream.schemas.SeriesReceived;

/**
 * Change-feed mode against a real Orthanc: studies uploaded through Orthanc's REST API (no C-STORE anywhere) are
 * picked up; across a restart of NeuroStream none is processed twice and none is missed, including one that arrived
 * while NeuroStream was down.
 */
class OrthancChangeFeedTest {
    @TempDir
    Path dir;

    @Test
    void studiesUploadedToOrthancArePickedUpAndARestartNeitherRepeatsNorMissesAny() throws Exception {
        assumeTrue(OrthancPeer.available(), "Orthanc is not installed");
        TestMrSeries a = TestMrSeries.write(Files.createDirectories(dir.resolve("a")), 3);
        TestMrSeries b = TestMrSeries.write(Files.createDirectories(dir.resolve("b")), 4);
        TestMrSeries c = TestMrSeries.write(Files.createDirectories(dir.resolve("c")), 2);

        try (LocalOrthanc orthanc = OrthancPeer.start(dir.resolve("orthanc"))) {
            // Configured as a site would: properties file with the URL; the state file defaults into the blob store.
            Path properties = Files.writeString(dir.resolve("ingest.properties"), String.join("\n",
                    "ingest.port=0",
                    "blobstore.root=" + dir.resolve("blobs"),
                    "ingest.quiet.period.ms=60000", // proves the feed does not wait for it: StableStudy is enough
                    "ingest.orthanc-changes.url=" + orthanc.restUrl() + "/",
                    "ingest.orthanc-changes.poll-ms=200"));
            IngestConfig config = IngestConfig.load(properties, Map.of("NEUROSTREAM_PATIENT_KEY_SALT", "salt"));
            assertThat(config.changeFeed().stateFile())
                    .isEqualTo(dir.resolve("blobs/state/orthanc-changes.properties"));

            RecordingPublisher firstRun = new RecordingPublisher();
            long positionAfterA;
            try (IngestService service = start(config, firstRun)) {
                Await.until(() -> service.changeFeed().position() >= 0, Duration.ofSeconds(10), "feed started");
                OrthancPeer.upload(orthanc, a.files);
                Await.until(() -> firstRun.events.size() == 1, Duration.ofSeconds(30), "study A");
                positionAfterA = service.changeFeed().position();
                assertThat(service.metrics().storedCount()).isEqualTo(3);
                assertThat(service.changeFeed().studiesProcessed()).isEqualTo(1);
            }
            assertThat(firstRun.events).singleElement().satisfies(e -> {
                assertThat(e.getSeriesInstanceUid()).isEqualTo(a.seriesUid);
                assertThat(e.getSource()).isEqualTo("orthanc-changes:" + orthanc.restUrl());
            });

            // While NeuroStream is down, study B arrives; then C after the restart.
            OrthancPeer.upload(orthanc, b.files);
            RecordingPublisher secondRun = new RecordingPublisher();
            try (IngestService service = start(config, secondRun)) {
                Await.until(() -> secondRun.events.size() == 1, Duration.ofSeconds(30), "study B after the restart");
                OrthancPeer.upload(orthanc, c.files);
                Await.until(() -> secondRun.events.size() == 2, Duration.ofSeconds(30), "study C");
                long settled = service.changeFeed().position();
                Thread.sleep(1_500); // several more polls: nothing else may come
                assertThat(service.changeFeed().position()).isGreaterThanOrEqualTo(settled);
                assertThat(service.changeFeed().position()).isGreaterThan(positionAfterA);
                assertThat(service.metrics().storedCount()).as("A is not fetched again").isEqualTo(6);
            }
            assertThat(secondRun.events).extracting(SeriesReceived::getSeriesInstanceUid)
                    .containsExactly(b.seriesUid, c.seriesUid);
            assertThat(Files.readString(config.changeFeed().stateFile())).contains("last-seq=");
        }
    }

    @Test
    void anUnreachableOrthancIsRetriedWithoutStoppingTheService() throws Exception {
        int port = LocalOrthanc.freePort();
        IngestConfig config = new IngestConfig("NS_FEED", 0, dir.resolve("blobs"), Duration.ofMillis(300),
                "unused:9092", "test", "salt").withChangeFeed(new IngestConfig.ChangeFeedOptions(
                        "http://127.0.0.1:" + port, Duration.ofMillis(100), dir.resolve("state"), "", ""));
        try (LogCapture logs = new LogCapture(); IngestService service = start(config, new RecordingPublisher())) {
            Await.until(() -> logs.text().contains("Orthanc change feed http://127.0.0.1:" + port),
                    Duration.ofSeconds(10), "a logged retry");
            assertThat(service.changeFeed().position()).isEqualTo(-1);
            assertThat(Dcmtk.available() ? Dcmtk.echoscu(service.port(), "NS_FEED").exitCode() : 0).isZero();
        }
    }

    private static IngestService start(IngestConfig config, SeriesPublisher publisher) throws Exception {
        return new IngestService(config, new SimpleMeterRegistry(), Clock.systemUTC(), publisher).start();
    }

    static List<String> seriesOf(List<SeriesReceived> events) {
        return events.stream().map(SeriesReceived::getSeriesInstanceUid).toList();
    }
}
