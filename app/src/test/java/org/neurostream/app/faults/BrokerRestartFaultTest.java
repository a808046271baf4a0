package org.neurostream.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.pacs.LocalOrthanc;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;

/**
 * Issue 7's second fault: the Kafka broker (its own process, {@code neurostream broker}) is killed with SIGKILL
 * mid-run, while follow-ups are still arriving at ingest and pairs are being analysed, and restarted in place
 * (same data folder, same ports) ten seconds later. No series may be lost on the way in and no result lost or
 * duplicated on the way out: every series ends with exactly one committed result and every pair with one SR.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class BrokerRestartFaultTest {
    private static final Duration DOWN = Duration.ofSeconds(10);

    /** Kept when the test fails: the services' logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aBrokerKilledAndRestartedMidRunLosesNoSeriesAndDuplicatesNoResult() throws Exception {
        assumeTrue(Files.isExecutable(LocalOrthanc.DEFAULT_EXECUTABLE), "Orthanc not installed");
        long t0 = System.nanoTime();
        int pairs = FaultRig.PAIRS;
        List<Series> cohort = FaultRig.cohort();
        try (FaultRig rig = new FaultRig(dir).start()) {
            rig.send(cohort, Visit.BASELINE);
            // The follow-ups are still arriving when the broker goes down: ingest must hold on to what it cannot
            // publish yet.
            CompletableFuture<Void> followUps = CompletableFuture.runAsync(() -> {
                try {
                    rig.send(cohort, Visit.FOLLOW_UP);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            rig.awaitAnalysed(Math.max(1, pairs / 10), Duration.ofMinutes(6));
            boolean stillSending = !followUps.isDone();
            long committedAtKill = rig.committed();
            long analysedAtKill = rig.analysed();
            long kill = System.nanoTime();
            rig.killBroker();
            Thread.sleep(DOWN.toMillis());
            long restart = System.nanoTime();
            rig.startBroker();
            long ready = System.nanoTime();
            rig.awaitAnalysed(analysedAtKill + 1, Duration.ofMinutes(5));
            long firstNewResult = System.nanoTime();
            followUps.get(5, TimeUnit.MINUTES);

            assertThat(rig.awaitAllResults(cohort, Duration.ofMinutes(10)))
                    .as("every series has a result; logs in %s", dir).isTrue();
            long allResults = System.nanoTime();
            rig.assertExactlyOneResultPerSeries(cohort);

            rig.assertEverySrInPacsOnceAndNoDeadLetters(pairs);

            System.out.printf("fault broker-restart: %d pairs; broker kill -9 with %d of %d results committed "
                            + "(%d pairs analysed), follow-ups %s; down %.1f s, restart to ready %.1f s, kill to "
                            + "the next new result %.1f s, kill to all %d results %.1f s; services that exited by "
                            + "themselves and were restarted: %s; %d SRs in the PACS, no duplicate; test %.0f s%n",
                    pairs, committedAtKill, cohort.size(), analysedAtKill,
                    stillSending ? "still being sent" : "already all sent", (restart - kill) / 1e9,
                    (ready - restart) / 1e9, (firstNewResult - kill) / 1e9, cohort.size(), (allResults - kill) / 1e9,
                    rig.restarts(), pairs, (System.nanoTime() - t0) / 1e9);
        }
    }
}
