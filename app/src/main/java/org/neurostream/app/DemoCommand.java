package org.neurostream.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.neurostream.inference.ModelCard;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.sink.DeliveryOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The all-in-one demo: every service on an embedded broker with a local Orthanc; a phantom cohort sent by
 * C-STORE; one line per follow-up study (T1 and, with the lesion model, FLAIR results together: P(decline), PBVC,
 * new lesions, each beside the phantom's truth) and one per single-visit patient.
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
            + "(tissue volumes and PBVC by the tissue model); SYNTHETIC: the small synthetic head, T1 "
            + "only, fastest. Default: ${DEFAULT-VALUE}")
    PhantomCohort.Anatomy anatomy = PhantomCohort.Anatomy.COLIN27;

    @Option(names = "--no-tissue", description = "Skip tissue segmentation (~12 s per volume on a 2-core CPU).")
    boolean noTissue;

    @Option(names = "--tissue-model", description = "Tissue model folder name beside --model: brainchop's "
            + "pretrained model (the production default) or tissue-segmentation-model11-phantom, the same network "
            + "fine-tuned here on phantoms. Default: ${DEFAULT-VALUE}")
    String tissueModelName = "tissue-segmentation-model11";

    @Option(names = "--no-lesions", description = "Skip new-lesion segmentation of the FLAIR pairs (models/"
            + "new-lesion-segmenter); the FLAIR series are then only kept as priors.")
    boolean noLesions;

    @Option(names = "--keep-running", description = "Keep every service and the PACS up after the summary (Ctrl-C stops), to browse the SRs at the printed URLs.")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        PrintStream console = System.out;
        long started = System.nanoTime();
        Files.createDirectories(out);
        FileTrees.deleteRecursively(workDir);
        boolean colin = anatomy == PhantomCohort.Anatomy.COLIN27;
        Optional<Path> lesionModel = colin && !noLesions
                ? Optional.of(model.resolveSibling("new-lesion-segmenter")) : Optional.empty();
        if (lesionModel.isPresent() && !Files.isRegularFile(lesionModel.get().resolve(ModelCard.FILE_NAME))) {
            return fail(console, "no new-lesion segmenter in " + lesionModel.get() + " (train it with "
                    + "'scripts/neurostream train-lesions', or run the demo with --no-lesions)");
        }
        Optional<Path> tissueModel = colin && !noTissue ? Optional.of(model.resolveSibling(tissueModelName))
                : Optional.empty();
        if (tissueModel.isPresent() && !Files.isRegularFile(tissueModel.get().resolve(ModelCard.FILE_NAME))) {
            return fail(console, "no tissue model in " + tissueModel.get() + " (tune it with "
                    + "'scripts/neurostream tune-tissue', or run the demo with --no-tissue)");
        }
        console.println("NeuroStream demo: phantoms only (no patient data). The change classifier"
                + lesionModel.map(d -> " and the new-lesion segmenter (" + cardName(d) + ", a siamese 3D U-Net on "
                        + "FLAIR pairs) are").orElse(" is")
                + " trained by this project on its own synthetic phantoms" + tissueModel.map(d -> "; the tissue model ("
                        + cardName(d) + ") is brainchop's pretrained MeshNet"
                        + (d.getFileName().toString().endsWith("-phantom") ? ", fine-tuned here on the same kind of"
                                + " phantoms" : ", checked here on Colin27 and phantoms only")).orElse("")
                + ". Models trained/validated on synthetic data only; not for clinical use.");
        Path cohortDir = workDir.resolve("cohort");
        List<Series> cohort = new PhantomCohort(seed, anatomy).write(cohortDir, pairs, singles);
        List<Series> firstVisits = cohort.stream().filter(s -> s.visit() != Visit.FOLLOW_UP).toList();
        List<Series> followUps = cohort.stream().filter(s -> s.visit() == Visit.FOLLOW_UP).toList();
        // Series whose results we wait for and report: the kinds the processor analyses. FLAIR needs the lesion
        // model; without it FLAIR is sent all the same and kept in each patient's history.
        java.util.function.Predicate<Series> analysedKind = s -> s.sequence().equals("T1")
                || s.sequence().equals("FLAIR") && lesionModel.isPresent();
        List<Series> analysedFollowUps = followUps.stream().filter(analysedKind).toList();
        List<Series> analysedFirstVisits = firstVisits.stream().filter(analysedKind).toList();

        Map<String, DeliveryOutcome> deliveries = new ConcurrentHashMap<>();
        AllInOne.Options options = new AllInOne.Options(workDir, out, model, Duration.ofSeconds(2),
                brainExtraction ? Optional.of(model.resolveSibling("brain-extraction-mindgrab")) : Optional.empty(),
                tissueModel,
                lesionModel);
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
                    .map(s -> latest(results, s)).flatMap(Optional::stream)
                    .filter(r -> r.getStatus() == AnalysisStatus.ANALYSED).toList();
            if (!awaitDeliveries(deliveries, analysed, timeout)) {
                return fail(console, "not every SR was delivered within " + timeout);
            }
            console.println();
            // One line per follow-up study: its T1 result and (with the lesion model) its FLAIR result.
            for (Series t1 : analysedFollowUps.stream().filter(s -> s.sequence().equals("T1")).toList()) {
                Optional<Series> flair = analysedFollowUps.stream()
                        .filter(s -> s.sequence().equals("FLAIR") && s.studyUid().equals(t1.studyUid())).findFirst();
                console.println(followUpLine(t1, latest(results, t1).orElseThrow(),
                        flair.flatMap(f -> latest(results, f)), LesionTruth.read(cohortDir, t1.subject()),
                        deliveries));
            }
            for (Series s : analysedFirstVisits.stream()
                    .filter(x -> x.visit() == Visit.SINGLE && x.sequence().equals("T1")).toList()) {
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

    /** The newest result for a series (a late prior would have superseded an earlier one). */
    private static Optional<AnalysisResult> latest(ResultWatcher results, Series s) {
        List<AnalysisResult> all = results.resultsFor(s.seriesUid());
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The card's name and version, to name the model in the opening statement. */
    private static String cardName(Path modelDir) {
        try {
            ModelCard card = ModelCard.read(modelDir);
            return card.name() + " " + card.version();
        } catch (java.io.IOException e) {
            return modelDir.toString();
        }
    }

    /** The new lesions a Colin27 phantom pair really has (its truth.json), when the cohort wrote one. */
    record LesionTruth(int count, double volumeMl) {
        static Optional<LesionTruth> read(Path cohortDir, int subject) {
            Path json = cohortDir.resolve(String.format(Locale.ROOT, "subject%02d-truth", subject)).resolve("truth.json");
            if (!Files.exists(json)) {
                return Optional.empty();
            }
            try {
                JsonNode truth = new ObjectMapper().readTree(json.toFile());
                return Optional.of(new LesionTruth(truth.path("newLesionCount").asInt(),
                        truth.path("newLesionVolumeMl").asDouble()));
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        }
    }

    static String followUpLine(Series s, AnalysisResult t1, Optional<AnalysisResult> flair,
            Optional<LesionTruth> lesionTruth, Map<String, DeliveryOutcome> deliveries) {
        List<String> parts = new ArrayList<>();
        List<String> srs = new ArrayList<>();
        if (t1.getStatus() != AnalysisStatus.ANALYSED) {
            parts.add("T1 " + t1.getStatus() + " — " + t1.getReason());
        } else {
            parts.add(String.format(Locale.ROOT, "prior %d days earlier; registration NCC T1 %.3f%s",
                    t1.getIntervalDays(), t1.getPreparation().getRegistration().getSimilarityAfter(),
                    flair.filter(f -> f.getStatus() == AnalysisStatus.ANALYSED).map(f -> String.format(Locale.ROOT,
                            ", FLAIR %.3f", f.getPreparation().getRegistration().getSimilarityAfter())).orElse("")));
            if (t1.getPDecline() != null) {
                parts.add(String.format(Locale.ROOT, "P(decline) %.3f [truth: %s]", t1.getPDecline(),
                        s.declining() ? "declining" : "stable"));
            }
            if (t1.getTissue() != null) {
                parts.add(String.format(Locale.ROOT, "PBVC %+.2f%% (BPF %.3f -> %.3f) [truth %+.2f%%]",
                        t1.getTissue().getPbvcPercent(),
                        t1.getTissue().getPrior().getBrainParenchymalFraction(),
                        t1.getTissue().getCurrent().getBrainParenchymalFraction(), s.brainVolumeChangePercent()));
            } else {
                parts.add(String.format(Locale.ROOT, "[truth: brain volume %+.2f%%]", s.brainVolumeChangePercent()));
            }
            srs.add("T1 " + srLocation(deliveries.get(t1.getResultId())));
        }
        if (flair.isPresent()) {
            AnalysisResult f = flair.get();
            String truth = lesionTruth.map(t -> String.format(Locale.ROOT, " [truth %d, %.3f mL]", t.count(),
                    t.volumeMl())).orElse("");
            if (f.getStatus() != AnalysisStatus.ANALYSED) {
                parts.add("FLAIR " + f.getStatus() + " — " + f.getReason());
            } else if (f.getNewLesions() != null) {
                parts.add(String.format(Locale.ROOT, "new lesions %d, %.3f mL%s", f.getNewLesions().getCount(),
                        f.getNewLesions().getTotalVolumeMl(), truth));
                srs.add("FLAIR " + srLocation(deliveries.get(f.getResultId())));
            }
        }
        return String.format(Locale.ROOT, "subject %d follow-up (study %s): %s; SR %s", s.subject(), s.studyUid(),
                String.join("; ", parts), srs.isEmpty() ? "none" : String.join(", ", srs));
    }

    private static String srLocation(DeliveryOutcome delivery) {
        return delivery == null ? "(not delivered)" : delivery.locations().getOrDefault("pacs", "?");
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
