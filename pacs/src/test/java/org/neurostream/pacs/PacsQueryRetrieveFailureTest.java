package org.neurostream.pacs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PACS peers that are down, stuck or of the wrong kind, and requests that must never reach a PACS. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PacsQueryRetrieveFailureTest {
    @TempDir
    Path tmp;

    static PacsQueryRetrieve pacsAt(int port) {
        return PacsQueryRetrieve.builder("NSQR", "127.0.0.1", port, "NSPACS")
                .connectTimeout(Duration.ofSeconds(1)).responseTimeout(Duration.ofSeconds(1))
                .findTimeout(Duration.ofSeconds(3)).moveTimeout(Duration.ofSeconds(3)).build();
    }

    static void assertFailsWith(PacsException.Reason reason, Duration within, ThrowingCallable call) {
        long started = System.nanoTime();
        assertThatThrownBy(call).isInstanceOfSatisfying(PacsException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(within);
    }

    @Test
    void aPacsThatIsDownFailsFastAsUnreachable() {
        PacsQueryRetrieve pacs = pacsAt(LocalOrthanc.freePort());

        assertFailsWith(PacsException.Reason.UNREACHABLE, Duration.ofSeconds(2),
                () -> pacs.findStudies("NS-QR-0001", null, "MR"));
        assertFailsWith(PacsException.Reason.UNREACHABLE, Duration.ofSeconds(2),
                () -> pacs.moveStudy("1.2.3.4", "NSDEST"));
    }

    @Test
    void aPacsThatAcceptsButNeverAnswersTimesOut() throws Exception {
        // The kernel completes the handshake; nobody ever reads, so no A-ASSOCIATE-AC comes.
        try (ServerSocket stuck = new ServerSocket(0)) {
            PacsQueryRetrieve pacs = pacsAt(stuck.getLocalPort());

            assertFailsWith(PacsException.Reason.TIMEOUT, Duration.ofSeconds(3),
                    () -> pacs.findStudies("NS-QR-0001", null, null));
        }
    }

    @Test
    void aPeerWithoutQueryRetrieveIsRejected() throws Exception {
        assumeTrue(Files.isExecutable(StoreScpProcess.EXECUTABLE), "DCMTK storescp not installed");
        // storescp offers storage only: no study-root C-FIND/C-MOVE presentation context is accepted.
        try (StoreScpProcess storeOnly = StoreScpProcess.start("NSPACS", LocalOrthanc.freePort(),
                tmp.resolve("received"))) {
            PacsQueryRetrieve pacs = pacsAt(storeOnly.port());

            assertFailsWith(PacsException.Reason.ASSOCIATION_REJECTED, Duration.ofSeconds(3),
                    () -> pacs.findStudies("NS-QR-0001", null, null));
            assertFailsWith(PacsException.Reason.ASSOCIATION_REJECTED, Duration.ofSeconds(3),
                    () -> pacs.moveStudy("1.2.3.4", "NSDEST"));
        }
    }

    @Test
    void wildcardsAndEmptyKeysNeverReachThePacs() {
        // A free port: were a request sent, it would fail as UNREACHABLE instead.
        PacsQueryRetrieve pacs = pacsAt(LocalOrthanc.freePort());

        for (String id : new String[] {"NS-QR-*", "NS-QR-000?", "A\\B", " ", ""}) {
            assertThatThrownBy(() -> pacs.findStudies(id, null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> {
                        if (!id.isBlank()) {
                            assertThat(e.getMessage()).doesNotContain(id); // may be a patient id
                        }
                    });
        }
        assertThatThrownBy(() -> pacs.findStudies(null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pacs.findStudies("NS-QR-0001", "*", null))
                .isInstanceOf(IllegalArgumentException.class);
        for (String uid : new String[] {"", "*", "1.2.*", "1.2.3.", "abc", null}) {
            assertThatThrownBy(() -> pacs.moveStudy(uid, "NSDEST")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> pacs.moveStudy("1.2.3", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pacs.moveStudy("1.2.3", "SEVENTEEN-CHARS-X"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
