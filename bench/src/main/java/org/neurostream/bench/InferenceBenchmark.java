package org.neurostream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.neurostream.imaging.Colin27;
import org.neurostream.imaging.Reorienter;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.imaging.registration.RigidTransform;
import org.neurostream.inference.BrainExtraction;
import org.neurostream.inference.BrainExtractor;
import org.neurostream.inference.ChangeClassifier;
import org.neurostream.inference.TissueSegmentation;
import org.neurostream.inference.TissueSegmenter;
import org.neurostream.inference.lesions.NewLesionInputs;
import org.neurostream.inference.lesions.NewLesionSegmenter;
import org.neurostream.processor.analysis.ClassifierChangeModel;
import org.neurostream.processor.preparation.PairPreparation;

/**
 * CPU inference time of every model the processor can load, on one 256^3 1 mm pair (Colin27 and the same head
 * moved, as in {@link PreparationBenchmark}), with and without oneDNN: {@link #measure} runs in a child JVM per
 * setting, {@link #compare} launches both and puts their figures side by side. The tissue model and brain
 * extraction run once per volume, so a pair needs two passes of each; the change classifier one. The first pass
 * of each model in a JVM includes TensorFlow's one-off graph set-up, as the processor's first pair does; it is
 * reported apart ("first") from the next one ("steady").
 */
public final class InferenceBenchmark {
    public static final String NAME = "inference";
    /** Goal of issue 4: every model plus brain extraction within this per pair. */
    public static final long GOAL_MILLIS_PER_PAIR = 15_000;
    static final int CLASSIFIER_RUNS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Figures of one model in one JVM: ms per pass (model forward pass and whole call) and per pair. */
    public record ModelTiming(String model, int passesPerPair, long firstPassMs, long steadyPassMs,
            long steadyCallMs, boolean steadyMeasured) {
        public ModelTiming(String model, int passesPerPair, long firstPassMs, long steadyPassMs, long steadyCallMs) {
            this(model, passesPerPair, firstPassMs, steadyPassMs, steadyCallMs, true);
        }

        /** Only the first pass finished: it stands in for the steady one (an upper bound: it includes set-up). */
        static ModelTiming firstOnly(String model, int passesPerPair, long firstPassMs, long firstCallMs) {
            return new ModelTiming(model, passesPerPair, firstPassMs, firstPassMs, firstCallMs, false);
        }

        /** A pair's inference time with the model already warm (the processor's steady state). */
        public long perPairMs() {
            return passesPerPair * steadyPassMs;
        }
    }

    /** Measures every model in this JVM (whatever TF_ENABLE_ONEDNN_OPTS it started with) and writes JSON. */
    public static void measure(Path models, boolean brainExtraction, Path jsonOut, PrintStream out) throws Exception {
        Volume baseline = Resampler.resampleCentred(Reorienter.toCanonical(Colin27.t1()), new int[] {256, 256, 256},
                new double[] {1, 1, 1});
        double[] m = PreparationBenchmark.MOTION;
        // Maps follow-up points to baseline points (resampleOnto's fixed-to-moving direction).
        RigidTransform motion = RigidTransform.of(m[0], m[1], m[2], new double[] {m[3], m[4], m[5]},
                baseline.centre());
        Volume followUp = Resampler.resampleOnto(baseline, baseline, motion);
        List<ModelTiming> timings = new ArrayList<>();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("machine", MachineDescription.describe());
        result.put("timings", timings);
        try (ChangeClassifier classifier = ChangeClassifier.load(models.resolve("change-classifier"))) {
            PairPreparation.PreparedPair prepared = new PairPreparation(Optional.empty(),
                    new RigidRegistration(RigidRegistration.Options.defaults()), 0.3)
                    .prepare(baseline, followUp, new LinkedHashMap<>());
            ClassifierChangeModel model = new ClassifierChangeModel(classifier);
            List<Long> passes = new ArrayList<>();
            for (int run = 0; run < CLASSIFIER_RUNS; run++) {
                Map<String, Long> stages = new LinkedHashMap<>();
                model.pDecline(prepared, stages);
                passes.add(stages.get("inference"));
            }
            long steady = Math.round(Stats.percentile(passes.subList(1, passes.size()), 50));
            timings.add(new ModelTiming(classifier.info().name(), 1, passes.get(0), steady, steady));
            out.printf(Locale.ROOT, "%s: passes %s ms%n", classifier.info().name(), passes);
        }
        written(result, jsonOut);
        Map<String, String> notRun = new LinkedHashMap<>();
        result.put("notRun", notRun);
        String tissueName = "tissue-segmentation-model11";
        TissueSegmenter tissue = load(() -> TissueSegmenter.load(models.resolve(tissueName)), tissueName, notRun);
        if (tissue != null) {
            try (tissue) {
                timePerVisit(tissue.info().name(), v -> {
                    TissueSegmentation s = tissue.segment(v);
                    return new long[] {s.inference().toMillis(), s.elapsed().toMillis()};
                }, baseline, followUp, timings, result, jsonOut);
            }
        }
        written(result, jsonOut);
        // One sliding-window pass per pair, on the follow-up's grid. Timed on the T1 pair (the window count follows
        // the head's extent, the cost does not depend on the contrast).
        String lesionName = "new-lesion-segmenter";
        NewLesionSegmenter lesions = load(() -> NewLesionSegmenter.load(models.resolve(lesionName)), lesionName,
                notRun);
        if (lesions != null) {
            try (lesions) {
                Volume baselineOnFollowUp = NewLesionInputs.baselineOnFollowUp(baseline, followUp,
                        motion.inverse());
                long t0 = System.nanoTime();
                lesions.detect(baselineOnFollowUp, followUp);
                long first = (System.nanoTime() - t0) / 1_000_000;
                t0 = System.nanoTime();
                lesions.detect(baselineOnFollowUp, followUp);
                long steady = (System.nanoTime() - t0) / 1_000_000;
                timings.add(new ModelTiming(lesions.info().name(), 1, first, steady, steady));
            }
        }
        written(result, jsonOut);
        String brainName = "brain-extraction-mindgrab";
        BrainExtractor extractor = brainExtraction
                ? load(() -> BrainExtractor.load(models.resolve(brainName)), brainName, notRun) : null;
        if (extractor != null) {
            try (extractor) {
                timePerVisit(extractor.info().name(), v -> {
                    BrainExtraction e = extractor.extract(v);
                    return new long[] {e.inference().toMillis(), e.elapsed().toMillis()};
                }, baseline, followUp, timings, result, jsonOut);
            }
        }
        written(result, jsonOut);
        timings.forEach(t -> out.println(t + " per pair " + t.perPairMs() + " ms"));
    }

    private interface Loader<T> {
        T load() throws IOException;
    }

    /** One pass of a model that runs once per visit: {inference ms, whole call ms}. */
    private interface VisitPass {
        long[] run(Volume visit);
    }

    /**
     * Times a model that runs on each visit: the first pass on the baseline (recorded at once, so a child stopped at
     * its time limit still hands it over), the steady one on the follow-up.
     */
    private static void timePerVisit(String name, VisitPass pass, Volume baseline, Volume followUp,
            List<ModelTiming> timings, Map<String, Object> result, Path jsonOut) throws IOException {
        long[] first = pass.run(baseline);
        timings.add(ModelTiming.firstOnly(name, 2, first[0], first[1]));
        written(result, jsonOut);
        long[] steady = pass.run(followUp);
        timings.set(timings.size() - 1, new ModelTiming(name, 2, first[0], steady[0], steady[1]));
    }

    /**
     * The model, or null with the reason recorded when it refuses to load in this JVM (the segmenters refuse to
     * run on CPU without oneDNN, where TensorFlow's Conv3D would abort the process on a 256^3 grid).
     */
    private static <T> T load(Loader<T> loader, String name, Map<String, String> notRun) {
        try {
            return loader.load();
        } catch (IOException e) {
            notRun.put(name, e.getMessage());
            return null;
        }
    }

    /** Rewritten after each model, so a child stopped at its time limit still hands over what it measured. */
    private static void written(Map<String, Object> result, Path jsonOut) throws IOException {
        result.put("peakRssMb", MachineDescription.peakRssMb());
        JSON.writeValue(jsonOut.toFile(), result);
    }

    /**
     * Runs {@link #measure} in two child JVMs, oneDNN on then off, through {@code childArgs} (the command line that
     * reaches {@link #measure} with {@code --out FILE} appended), and writes the comparison.
     */
    public static Map<String, Object> compare(String mainClass, List<String> childArgs, boolean brainExtraction,
            long childTimeoutMinutes, Path resultsDir, String command, PrintStream out) throws Exception {
        LoadAverage before = LoadAverage.now();
        Map<String, Object> report = ResultFiles.header("CPU inference time per model on one 256^3 1 mm pair, with "
                + "and without oneDNN (one child JVM each)", command, before);
        Map<String, Map<String, Object>> settings = new LinkedHashMap<>();
        Path log = Files.createTempFile("neurostream-bench-inference", ".log");
        for (String onednn : List.of("1", "0")) {
            Path json = Files.createTempFile("neurostream-bench-inference-" + onednn, ".json");
            List<String> args = new ArrayList<>(childArgs);
            args.add("--out");
            args.add(json.toString());
            out.printf(Locale.ROOT, "child JVM with TF_ENABLE_ONEDNN_OPTS=%s (log %s)...%n", onednn, log);
            int exit = ChildJvm.run(mainClass, args, Map.of("TF_ENABLE_ONEDNN_OPTS", onednn), log,
                    childTimeoutMinutes);
            @SuppressWarnings("unchecked")
            Map<String, Object> child = Files.size(json) == 0 ? new LinkedHashMap<>(Map.of("timings", List.of()))
                    : new LinkedHashMap<>(JSON.readValue(json.toFile(), Map.class));
            if (exit > 0) {
                // Keep what the other child measured; this one's failure is in the results.
                child.put("failed", "exited with " + exit);
                out.printf(Locale.ROOT, "the child JVM (TF_ENABLE_ONEDNN_OPTS=%s) exited with %d; see %s%n", onednn,
                        exit, log);
            }
            if (exit < 0) {
                // What it finished is kept; the model it was running is reported as unfinished.
                child.put("stoppedAfterMinutes", childTimeoutMinutes);
            }
            settings.put(onednn.equals("1") ? "oneDnnOn" : "oneDnnOff", child);
            Files.deleteIfExists(json);
        }
        report.put("settings", settings);
        report.put("brainExtraction", brainExtraction);
        report.put("goalMsPerPair", GOAL_MILLIS_PER_PAIR);
        LoadAverage after = LoadAverage.now();
        report.put("loadAfter", after == null ? null : after.asMap());
        // The children run one at a time and TensorFlow uses both cores: more than that is someone else's work.
        if ((before != null && before.busierThan(0)) || (after != null && after.busierThan(2))) {
            report.put("otherWork", "Other work was running on this machine during the run (see the load "
                    + "averages): the times are longer than on an idle machine.");
        }
        String md = markdown(report);
        ResultFiles.write(resultsDir, NAME, report, md);
        out.print(md);
        return report;
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> report) {
        Map<String, Map<String, Object>> settings = (Map<String, Map<String, Object>>) report.get("settings");
        List<Map<String, Object>> on = (List<Map<String, Object>>) settings.get("oneDnnOn").get("timings");
        List<Map<String, Object>> off = (List<Map<String, Object>>) settings.get("oneDnnOff").get("timings");
        StringBuilder md = new StringBuilder(ResultFiles.markdownHeader("CPU inference per model", report));
        md.append(report.get("benchmark")).append(". \"pass\" is one forward pass (the model alone); \"call\" adds "
                + "conforming the volume and the post-processing; per pair = passes per pair x steady pass.\n\n");
        md.append("| model | passes per pair | first pass ms (on / off) | steady pass ms (on / off) | steady call ms "
                + "(on / off) | per pair ms, oneDNN on | per pair ms, oneDNN off | off / on |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        long sumOn = 0;
        long sumOff = 0;
        List<String> unfinished = new ArrayList<>();
        List<String> unrunnable = new ArrayList<>();
        List<String> firstOnly = new ArrayList<>();
        for (Map<String, Object> a : on) {
            if (Boolean.FALSE.equals(a.get("steadyMeasured"))) {
                firstOnly.add(a.get("model") + " (oneDNN on)");
            }
            Map<String, Object> b = off.stream().filter(t -> t.get("model").equals(a.get("model"))).findFirst()
                    .orElse(null);
            long pairOn = perPair(a);
            sumOn += pairOn;
            Map<String, Object> offNotRun = (Map<String, Object>) settings.get("oneDnnOff").getOrDefault("notRun",
                    Map.of());
            if (b == null && offNotRun.containsKey(a.get("model"))) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s / - | %s / - | %s / - | %d | cannot run | |%n",
                        a.get("model"), a.get("passesPerPair"), a.get("firstPassMs"), a.get("steadyPassMs"),
                        a.get("steadyCallMs"), pairOn));
                unrunnable.add(a.get("model") + ": " + offNotRun.get(a.get("model")));
                continue;
            }
            if (b == null) {
                unfinished.add(a.get("model") + " without oneDNN");
                md.append(String.format(Locale.ROOT, "| %s | %s | %s / - | %s / - | %s / - | %d | not finished | |%n",
                        a.get("model"), a.get("passesPerPair"), a.get("firstPassMs"), a.get("steadyPassMs"),
                        a.get("steadyCallMs"), pairOn));
                continue;
            }
            long pairOff = perPair(b);
            sumOff += pairOff;
            md.append(String.format(Locale.ROOT, "| %s | %s | %s / %s | %s / %s | %s / %s | %d | %d | %.1fx |%n",
                    a.get("model"), a.get("passesPerPair"), a.get("firstPassMs"), b.get("firstPassMs"),
                    a.get("steadyPassMs"), b.get("steadyPassMs"), a.get("steadyCallMs"), b.get("steadyCallMs"),
                    pairOn, pairOff, pairOn == 0 ? Double.NaN : (double) pairOff / pairOn));
        }
        long goal = ((Number) report.get("goalMsPerPair")).longValue();
        for (Map<String, Object> b : off) {
            if (Boolean.FALSE.equals(b.get("steadyMeasured"))) {
                firstOnly.add(b.get("model") + " (oneDNN off)");
            }
        }
        boolean offComplete = unfinished.isEmpty() && unrunnable.isEmpty();
        String offSum = offComplete ? String.valueOf(sumOff) : "> " + sumOff;
        md.append(String.format(Locale.ROOT, "| **all models per pair** | | | | | **%d** | **%s** | |%n%n", sumOn,
                offSum));
        if (!unrunnable.isEmpty()) {
            md.append("Cannot run without oneDNN (they refuse rather than let TensorFlow abort the process): ")
                    .append(String.join("; ", unrunnable)).append(".\n\n");
        }
        if (!firstOnly.isEmpty()) {
            md.append("Only the first pass finished (it stands in for the steady pass, so the per-pair figure is an "
                    + "upper bound that includes set-up): ").append(String.join(", ", firstOnly)).append(".\n\n");
        }
        if (settings.get("oneDnnOn").get("stoppedAfterMinutes") != null) {
            md.append("The oneDNN child was stopped at its time limit; models it had not finished are missing above."
                    + "\n\n");
        }
        if (!unfinished.isEmpty()) {
            md.append("Not finished within the child's time limit of ")
                    .append(settings.get("oneDnnOff").get("stoppedAfterMinutes")).append(" minutes: ")
                    .append(String.join(", ", unfinished)).append(" (so the sum without oneDNN is a lower bound).\n\n");
        }
        md.append(String.format(Locale.ROOT, "Goal (issue 4): all models plus brain extraction <= %d ms per pair. "
                + "With oneDNN: %d ms, %s; without: %s ms, %s.%s%n", goal, sumOn, sumOn <= goal ? "met" : "**missed**",
                offSum, sumOff <= goal && offComplete ? "met" : "**missed**",
                Boolean.TRUE.equals(report.get("brainExtraction")) ? ""
                        : " (brain extraction was not run: --no-brain-extraction)"));
        md.append(String.format(Locale.ROOT, "%nPeak RSS of the child JVMs: %s MB (on), %s MB (off).%n",
                settings.get("oneDnnOn").get("peakRssMb"), settings.get("oneDnnOff").get("peakRssMb")));
        return md.toString();
    }

    static long perPair(Map<String, Object> timing) {
        return ((Number) timing.get("passesPerPair")).longValue() * ((Number) timing.get("steadyPassMs")).longValue();
    }

    private InferenceBenchmark() {
    }
}
