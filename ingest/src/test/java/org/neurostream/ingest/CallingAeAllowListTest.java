package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The C-STORE door's allow-list and per-AE options, configured as a site would (properties + environment). */
class CallingAeAllowListTest {
    private static final String AE = "NS_GATE";

    @TempDir
    Path dir;

    private final RecordingPublisher publisher = new RecordingPublisher();
    private IngestService service;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Dcmtk.available(), "DCMTK is not installed");
        Path file = Files.writeString(dir.resolve("ingest.properties"), String.join("\n",
                "ingest.ae.title=" + AE,
                "ingest.port=0",
                "ingest.quiet.period.ms=300",
                "blobstore.root=" + dir.resolve("blobs"),
                "ingest.cstore.allowed-aes=SCANNER1, SLOWPACS, ELSEWHERE",
                "ingest.cstore.ae.SLOWPACS.quiet-period-ms=2500",
                "ingest.cstore.ae.ELSEWHERE.hosts=10.11.12.13"));
        IngestConfig config = IngestConfig.load(file, Map.of("NEUROSTREAM_PATIENT_KEY_SALT", "salt"));
        service = new IngestService(config, new SimpleMeterRegistry(), Clock.systemUTC(), publisher).start();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void anUnknownCallingAeIsRefusedAtAssociationTimeWithALoggedReason() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            Dcmtk.Result refused = Dcmtk.echoscu(service.port(), AE, "INTRUDER");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.output()).contains("Association Rejected")
                    .containsIgnoringCase("Calling AE Title Not Recognized");
            assertThat(logs.text()).contains("refused association from AE 'INTRUDER'")
                    .contains("is not in ingest.cstore.allowed-aes");
        }
        assertThat(service.metrics().refusedCount("c-store", "calling-ae")).isEqualTo(1);

        Dcmtk.Result allowed = Dcmtk.echoscu(service.port(), AE, "SCANNER1");
        assertThat(allowed.exitCode()).as(allowed.output()).isZero();
    }

    @Test
    void aListedAeCallingFromAnotherHostIsRefused() throws Exception {
        TestMrSeries series = TestMrSeries.write(Files.createDirectory(dir.resolve("s")), 2);
        try (LogCapture logs = new LogCapture()) {
            Dcmtk.Result refused = Dcmtk.storescu(service.port(), AE, "ELSEWHERE", series.files);
            assertThat(refused.output()).contains("Association Rejected");
            assertThat(logs.text()).contains("may not call from 127.0.0.1");
        }
        assertThat(service.metrics().storedCount()).isZero();
    }

    @Test
    void aPerAeQuietPeriodHoldsTheSeriesLonger() throws Exception {
        TestMrSeries fast = TestMrSeries.write(Files.createDirectory(dir.resolve("fast")), 2);
        TestMrSeries slow = TestMrSeries.write(Files.createDirectory(dir.resolve("slow")), 2);

        assertThat(Dcmtk.storescu(service.port(), AE, "SCANNER1", fast.files).exitCode()).isZero();
        assertThat(Dcmtk.storescu(service.port(), AE, "SLOWPACS", slow.files).exitCode()).isZero();
        Await.until(() -> publisher.events.size() == 1, Duration.ofSeconds(5), "SCANNER1's series");
        assertThat(publisher.events.get(0).getSeriesInstanceUid()).isEqualTo(fast.seriesUid);

        Thread.sleep(1_000); // past the default 300 ms, inside SLOWPACS's 2.5 s
        assertThat(publisher.events).hasSize(1);
        Await.until(() -> publisher.events.size() == 2, Duration.ofSeconds(10), "SLOWPACS's series");
        assertThat(publisher.events.get(1).getSource()).isEqualTo("c-store:SLOWPACS");
    }

    @Test
    void anEmptyAllowListAcceptsAnyAe() throws Exception {
        IngestConfig open = IngestConfig.load(null, Map.of("NEUROSTREAM_PATIENT_KEY_SALT", "salt",
                "NEUROSTREAM_INGEST_PORT", "0", "NEUROSTREAM_BLOBSTORE_ROOT", dir.resolve("b2").toString()));
        assertThat(open.callingAes().allowedAes()).isEmpty();
        try (IngestService any = new IngestService(open, new SimpleMeterRegistry(), Clock.systemUTC(),
                new RecordingPublisher()).start()) {
            Dcmtk.Result echo = Dcmtk.echoscu(any.port(), open.aeTitle(), "WHOEVER");
            assertThat(echo.exitCode()).as(echo.output()).isZero();
        }
    }
}
