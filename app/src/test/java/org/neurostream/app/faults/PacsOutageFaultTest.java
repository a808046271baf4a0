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
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.pacs.LocalOrthanc;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.schemas.AnalysisStatus;

/**
 * Issue 7's third fault: the PACS (Orthanc) is stopped for five minutes mid-run, as for maintenance, while the
 * processor goes on analysing. The sink, with its default retry settings, must hold the results back rather than
 * dead-letter them, and deliver every one once the PACS is back: each pair's SR exactly once, no dead letter.
 * It needs more than five real minutes, so it runs on demand ({@code scripts/fault-tests.sh}, which sets
 * {@code -Dneurostream.faults.long=true}); its last output is kept in {@code app/fault-results/}.
 */
@EnabledIfSystemProperty(named = "neurostream.faults.long", matches = "true",
        disabledReason = "a 5-minute outage: run scripts/fault-tests.sh")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class PacsOutageFaultTest {
    private static final Duration OUTAGE = Duration.ofSeconds(
            Integer.getInteger("neurostream.faults.pacs-outage-seconds", 300));

    /** Kept when the test fails: the services' logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aPacsDownFiveMinutesMidRunGetsEveryResultOnceAfterwardsAndNothingIsDeadLettered() throws Exception {
        assumeTrue(Files.isExecutable(LocalOrthanc.DEFAULT_EXECUTABLE), "Orthanc not installed");
        long t0 = System.nanoTime();
        int pairs = FaultRig.PAIRS;
        List<Series> cohort = FaultRig.cohort();
        try (FaultRig rig = new FaultRig(dir).start()) {
            rig.send(cohort);
            rig.awaitSrsInPacs(Math.max(1, pairs / 5), Duration.ofMinutes(6));

            long analysedAtStop = analysed(rig);
            rig.orthanc().stop();
            long down = System.nanoTime();
            rig.idle(OUTAGE); // the pipeline goes on; the sink retries against the stopped PACS
            long analysedAtReturn = analysed(rig);
            long retries = rig.count("sink", "failed (attempt");
            List<String> lettersDuringOutage = rig.deadLetters();
            rig.orthanc().start();
            long back = System.nanoTime();
            // Read at once: the sink's next attempt comes up to its longest backoff (30 s) later.
            int inPacsAtStop = rig.orthanc().countInstances();

            long first = rig.awaitSrsInPacs(inPacsAtStop + 1, Duration.ofMinutes(2));
            assertThat(rig.awaitAllResults(cohort, Duration.ofMinutes(10)))
                    .as("every series has a result; logs in %s", dir).isTrue();
            long all = rig.awaitSrsInPacs(pairs, Duration.ofMinutes(10));
            rig.assertExactlyOneResultPerSeries(cohort);
            assertThat(lettersDuringOutage).as("dead letters while the PACS was down").isEmpty();
            rig.assertEverySrInPacsOnceAndNoDeadLetters(pairs);
            assertThat(retries).as("the sink retried against the stopped PACS").isPositive();

            System.out.printf("fault pacs-outage: %d pairs; PACS stopped with %d SRs stored and %d pairs analysed, "
                            + "down %.0f s, meanwhile %d more pairs analysed and %d failed delivery attempts logged "
                            + "(sink retry settings at their defaults), no dead letter; after the PACS was back: "
                            + "first SR %.1f s, all %d SRs %.1f s; services restarted by themselves: %s; no "
                            + "duplicate SOP instance; test %.0f s%n",
                    pairs, inPacsAtStop, analysedAtStop, (back - down) / 1e9, analysedAtReturn - analysedAtStop,
                    retries, (first - back) / 1e9, pairs, (all - back) / 1e9, rig.restarts(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Pairs with a committed result, read afresh from the topic. */
    private static long analysed(FaultRig rig) {
        return rig.readAllResults().stream().filter(r -> r.getStatus() == AnalysisStatus.ANALYSED).count();
    }
}
