package org.neurostream.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.pacs.LocalOrthanc;
import org.neurostream.phantom.PhantomCohort.Series;

/**
 * Issue 7's first fault: the processor (its own JVM, started by the CLI) is killed with SIGKILL a third of the
 * way through a 100-pair run and started again on the same state folder. Kafka Streams' exactly-once must leave
 * exactly one committed result per series (read_committed), no result id twice, and one SR per pair in the PACS:
 * the pairs that were being analysed at the kill are analysed again, but their first, uncommitted attempt never
 * becomes visible.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ProcessorKillFaultTest {
    /** Kept when the test fails: the services' logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aProcessorKilledMidRunAndRestartedLeavesExactlyOneResultPerSeriesAndOneSrPerPair() throws Exception {
        assumeTrue(Files.isExecutable(LocalOrthanc.DEFAULT_EXECUTABLE), "Orthanc not installed");
        long t0 = System.nanoTime();
        int pairs = FaultRig.PAIRS;
        List<Series> cohort = FaultRig.cohort();
        try (FaultRig rig = new FaultRig(dir).start()) {
            long sent = System.nanoTime();
            rig.send(cohort);

            rig.awaitAnalysed(pairs / 3, Duration.ofMinutes(6));
            // Kill in the middle of a pair's analysis, so that one result is certainly under way, not committed.
            rig.awaitNewLine("processor", FaultRig.REGISTRATION_STARTED, Duration.ofMinutes(2));
            long kill = System.nanoTime();
            assertThat(rig.kill("processor")).as("exit status of SIGKILL").isEqualTo(137);
            long registrationsAtKill = rig.count("processor", FaultRig.REGISTRATION_STARTED);
            long analysesLoggedAtKill = rig.count("processor", FaultRig.ANALYSED);
            rig.results().drain(Duration.ofSeconds(2));
            long analysedAtKill = rig.analysed();
            long committedAtKill = rig.committed();
            rig.restart("processor");
            rig.awaitLog("processor", "processor running", Duration.ofMinutes(2));
            long running = System.nanoTime();
            rig.awaitAnalysed(analysedAtKill + 1, Duration.ofMinutes(3));
            long firstNewResult = System.nanoTime();

            assertThat(rig.awaitAllResults(cohort, Duration.ofMinutes(8)))
                    .as("every series has a result; logs in %s", dir).isTrue();
            long allResults = System.nanoTime();
            rig.assertExactlyOneResultPerSeries(cohort);

            rig.assertEverySrInPacsOnceAndNoDeadLetters(pairs);
            assertThat(rig.restarts()).as("services that died on their own").isEmpty();

            // Every pair started but not committed at the kill was started again after the restart; its first
            // attempt left no result.
            long inFlight = registrationsAtKill - analysedAtKill;
            long registrations = rig.count("processor", FaultRig.REGISTRATION_STARTED);
            long analysesLogged = rig.count("processor", FaultRig.ANALYSED);
            assertThat(registrations).as("analyses started: each pair once, plus those not committed at the kill")
                    .isEqualTo(pairs + inFlight);
            System.out.printf("fault processor-kill: %d pairs; kill -9 %d s after sending began, mid-analysis, "
                            + "with %d of %d results committed (%d pairs analysed and committed; %d analyses started "
                            + "and %d finished in the log, so %d pair(s) in flight; %d series still without a result); "
                            + "restart to 'processor running' %.1f s, kill to the next new result %.1f s, kill to "
                            + "all %d results %.1f s; analyses started in total %d, finished %d; %d SRs in the "
                            + "PACS, no duplicate; test %.0f s%n",
                    pairs, (kill - sent) / 1_000_000_000, committedAtKill, cohort.size(), analysedAtKill,
                    registrationsAtKill, analysesLoggedAtKill, inFlight,
                    cohort.size() - committedAtKill,
                    (running - kill) / 1e9, (firstNewResult - kill) / 1e9, cohort.size(), (allResults - kill) / 1e9,
                    registrations, analysesLogged, pairs, (System.nanoTime() - t0) / 1e9);
        }
    }
}
