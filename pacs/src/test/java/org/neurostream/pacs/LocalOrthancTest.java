package org.neurostream.pacs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stuck Orthanc: a port that accepts connections but never answers (the kernel completes the handshake; nobody
 * reads). REST calls must give up instead of hanging, and a start that never sees the API must not leave the
 * process behind. The @Timeout values only turn a hang into a failure.
 */
class LocalOrthancTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(60)
    void aRestCallToAStuckOrthancTimesOut() throws Exception {
        try (ServerSocket stuck = new ServerSocket(0)) {
            HttpClient http = HttpClient.newHttpClient();

            assertThatThrownBy(() -> LocalOrthanc.findInstanceId("http://localhost:" + stuck.getLocalPort(),
                    "1.2.3", http)).isInstanceOf(HttpTimeoutException.class);
        }
    }

    @Test
    @Timeout(60)
    void aStartWhoseRestApiNeverAnswersStopsTheProcess() throws Exception {
        Path pidFile = tmp.resolve("pid");
        // Stands in for Orthanc: a process that runs but never serves the REST API.
        Path fake = Files.writeString(tmp.resolve("fake-orthanc"), "#!/bin/sh\necho $$ > " + pidFile
                + "\nexec sleep 600\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));

        try (ServerSocket stuck = new ServerSocket(0)) {
            LocalOrthanc orthanc = LocalOrthanc.builder(tmp.resolve("orthanc")).executable(fake)
                    .httpPort(stuck.getLocalPort()).startTimeout(Duration.ofSeconds(3)).build();

            assertThatThrownBy(orthanc::start).isInstanceOf(IOException.class);

            assertThat(orthanc.isRunning()).isFalse();
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
        }
    }
}
