package org.neurostream.app;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.processor.analysis.Findings;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.sink.DeliveryOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The all-in-one demo: every service on an embedded broker with a local Orthanc; a synthetic cohort sent by
 * C-STORE; one line per follow-up (and per single-visit patient) with the pairing outcome and P(decline).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run every service on an embedded Kafka broker with a local Orthanc and analyse a phantom cohort.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--work-dir", description = "Broker, PACS, blob store and state (emptied first). Default: ${DEFAULT-VALUE}")
    Path workDir = Path.of("work", "demo");

    @Option(names = "--out", description = "Folder the SR files are written to. Default: ${DEFAULT-VALUE}")
    Path out = Path.of("out", "sr");

    @Option(names = "--model", description = "Change classifier directory. Default: ${DEFAULT-VALUE}")
    Path model = Path.of("models", "change-classifier");

    @Option(names = "--pairs", description = "Patients with a baseline and a follow-up. Default: ${DEFAULT-VALUE}")
    int pairs = 3;

    @Option(names = "--singles", description = "Patients with a single visit. Default: ${DEFAULT-VALUE}")
    int singles = 1;

    @Option(names = "--seed", description = "Phantom seed. Default: ${DEFAULT-VALUE}")
    long seed = 20261123;

    @Option(names = "--timeout-seconds", description = "Give up waiting for results after this long. Default: ${DEFAULT-VALUE}")
    int timeoutSeconds = 600;

    @Option(names = "--brain-extraction", description = "Run mindgrab brain extraction in preparation (models/"
            + "brain-extraction-mindgrab): 2-3 minutes per volume on a 2-core CPU.")
    boolean brainExtraction;

    @Option(names = "--anatomy", description = "COLIN27: phantoms on the real Colin27 head at 1 mm with T1 and FLAIR "
            + "(tissue volumes and PBVC by the pretrained tissue model); SYNTHETIC: the small synthetic head, T1 "
            + "only, fastest. Default: ${DEFAULT-VALUE}")
    PhantomCohort.Anatomy anatomy = PhantomCohort.Anatomy.COLIN27;

    @Option(names = "--no-tissue", description = "Skip tissue segmentation (models/tissue-segmentation-model11; "
            + "~20 s per volume on a 2-core CPU).")
    boolean noTissue;

    @Option(names = "--keep-running", description = "Keep every service and the PACS up after the summary (Ctrl-C stops), to browse the SRs at the printed URLs.")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        PrintStream console = System.out;
        long started = System.nanoTime();
        Files.createDirectories(out);
        FileTrees.deleteRecursively(workDir);
        console.println("NeuroStream demo: phantoms only (no patient data). The change classifier is trained by this "
                + "project on its own synthetic phantoms; the tissue model is brainchop's pretrained MeshNet, checked "
                + "here on Colin27 and phantoms only. Models trained/validated on synthetic data only; not for "
                + "clinical use.");
        List<Series> cohort = new PhantomCohort(seed, anatomy).write(workDir.resolve("cohort"), pairs, singles);
        List<Series> firstVisits = cohort.stream().filter(s -> s.visit() != Visit.FOLLOW_UP).toList();
        List<Series> followUps = cohort.stream().filter(s -> s.visit() == Visit.FOLLOW_UP).toList();
        // Series whose results we wait for and report: the kinds the processor analyses (FLAIR waits for the
        // lesion model; it is sent all the same and kept in each patient's history).
        List<Series> analysedFollowUps = followUps.stream().filter(s -> s.sequence().equals("T1")).toList();
        List<Series> analysedFirstVisits = firstVisits.stream().filter(s -> s.sequence().equals("T1")).toList();

        Map<String, DeliveryOutcome> deliveries = new ConcurrentHashMap<>();
        AllInOne.Options options = new AllInOne.Options(workDir, out, model, Duration.ofSeconds(2),
                brainExtraction ? Optional.of(model.resolveSibling("brain-extraction-mindgrab")) : Optional.empty(),
                anatomy == PhantomCohort.Anatomy.COLIN27 && !noTissue
                        ? Optional.of(model.resolveSibling("tissue-segmentation-model11")) : Optional.empty());
        try (AllInOne all = AllInOne.start(options, o -> deliveries.put(o.resultId(), o));
                ResultWatcher results = new ResultWatcher(all.bootstrapServers())) {
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            // First visits arrive first, as in a hospital where the baseline was scanned a year earlier.
            send(all, firstVisits);
            if (!results.awaitSeries(seriesUids(analysedFirstVisits), timeout)) {
                return fail(console, "first visits were not all processed within " + timeout);
            }
            send(all, followUps);
            if (!results.awaitSeries(seriesUids(analysedFollowUps), timeout)) {
                return fail(console, "follow-ups were not all processed within " + timeout);
            }
            List<AnalysisResult> analysed = analysedFollowUps.stream()
                    .flatMap(s -> results.resultsFor(s.seriesUid()).stream())
                    .filter(r -> r.getStatus() == AnalysisStatus.ANALYSED).toList();
            if (!awaitDeliveries(deliveries, analysed, timeout)) {
                return fail(console, "not every SR was delivered within " + timeout);
            }
            console.println();
            for (Series s : analysedFollowUps) {
                for (AnalysisResult r : results.resultsFor(s.seriesUid())) {
                    console.println(followUpLine(s, r, deliveries.get(r.getResultId())));
                }
            }
            for (Series s : analysedFirstVisits.stream().filter(x -> x.visit() == Visit.SINGLE).toList()) {
                for (AnalysisResult r : results.resultsFor(s.seriesUid())) {
                    console.printf(Locale.ROOT, "subject %d single visit (study %s): %s%n", s.subject(),
                            s.studyUid(), r.getStatus() == AnalysisStatus.NO_PRIOR ? "no prior" : r.getReason());
                }
            }
            console.printf(Locale.ROOT, "%nSR files in %s; PACS (Orthanc) REST at %s; status page %s; took %.0f s%n",
                    out.toAbsolutePath(), all.orthanc().restUrl(), all.statusPageUrl(),
                    (System.nanoTime() - started) / 1e9);
            boolean allAnalysed = analysed.size() == analysedFollowUps.size();
            if (keepRunning) {
                console.println("services and PACS keep running; Ctrl-C stops them");
                awaitShutdownSignal();
            }
            return allAnalysed ? 0 : fail(console, "only " + analysed.size() + " of " + analysedFollowUps.size()
                    + " follow-ups were analysed");
        }
    }

    /** Blocks until Ctrl-C/SIGTERM, then lets the caller close everything (Orthanc is a child process). */
    private static void awaitShutdownSignal() throws InterruptedException {
        java.util.concurrent.CountDownLatch signal = new java.util.concurrent.CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signal.countDown();
            try {
                main.join(60_000); // the JVM would otherwise exit before the services are closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "neurostream-demo-shutdown"));
        signal.await();
    }

    private static String followUpLine(Series s, AnalysisResult r, DeliveryOutcome delivery) {
        String truth = s.declining() ? "declining" : "stable";
        if (r.getStatus() != AnalysisStatus.ANALYSED) {
            return String.format(Locale.ROOT, "subject %d follow-up (study %s): %s — %s", s.subject(), s.studyUid(),
                    r.getStatus(), r.getReason());
        }
        String sr = delivery == null ? "(SR not delivered)" : delivery.locations().getOrDefault("pacs", "?");
        var registration = r.getPreparation().getRegistration();
        return String.format(Locale.ROOT,
                "subject %d follow-up (study %s): %s; registration NCC %.3f; %s [phantom truth: %s, brain volume "
                        + "%+.2f%%]; SR %s",
                s.subject(), s.studyUid(), r.getReason(), registration.getSimilarityAfter(), Findings.summary(r),
                truth, s.brainVolumeChangePercent(), sr);
    }

    private static void send(AllInOne all, List<Series> series) throws Exception {
        StoreScu.send("127.0.0.1", all.ingestPort(), all.ingestAet(), "SCANNER",
                series.stream().map(Series::folder).toList());
    }

    private static List<String> seriesUids(List<Series> series) {
        return series.stream().map(Series::seriesUid).toList();
    }

    private static boolean awaitDeliveries(Map<String, DeliveryOutcome> deliveries, List<AnalysisResult> analysed,
            Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!analysed.stream().allMatch(r -> deliveries.containsKey(r.getResultId()))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return analysed.stream().allMatch(r -> deliveries.get(r.getResultId()).status() == DeliveryOutcome.Status.DELIVERED);
    }

    private static int fail(PrintStream console, String why) {
        console.println("demo failed: " + why);
        return 1;
    }
}
