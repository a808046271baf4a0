package org.neurostream.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.neurostream.app.bench.EndToEndBenchmark;
import org.neurostream.app.bench.IngestBenchmark;
import org.neurostream.bench.InferenceBenchmark;
import org.neurostream.bench.PreparationBenchmark;
import org.neurostream.inference.TensorFlowRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Benchmarks: figures measured on this machine, printed and written to bench/results. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints its figures and writes JSON + Markdown to the results folder.",
        subcommands = {BenchCommand.All.class, BenchCommand.Ingest.class, BenchCommand.Inference.class,
                BenchCommand.EndToEnd.class, BenchCommand.Preparation.class, BenchCommand.InferenceChild.class})
public final class BenchCommand {

    /** The command line that produced a result, as a person would type it again. */
    static String commandLine(CommandSpec spec) {
        // From the shell, originalArgs are the whole command line's (from "bench" on); run by "bench all" they are
        // only this subcommand's own (none).
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        return args.isEmpty() || !args.get(0).equals("bench")
                ? ("scripts/neurostream bench " + spec.name() + " " + String.join(" ", args)).strip()
                        + " (run by bench all)"
                : "scripts/neurostream " + String.join(" ", args);
    }

    @Command(name = "preparation", mixinStandardHelpOptions = true,
            description = "Times every preparation step (assembly, reorientation, brain extraction, registration, "
                    + "resampling, normalisation) and the change classifier on one 256^3 1 mm pair made from "
                    + "Colin27. Run once with TF_ENABLE_ONEDNN_OPTS=1 and once with =0 to compare.")
    static final class Preparation implements Callable<Integer> {
        @Option(names = "--models", description = "Models folder. Default: ${DEFAULT-VALUE}")
        Path models = Path.of("models");
        @Option(names = "--no-brain-extraction", description = "Skip mindgrab (registration on the whole head).")
        boolean noBrainExtraction;
        @Option(names = "--registration-levels-mm", split = ",",
                description = "Registration pyramid, coarse to fine. Default: 4,2")
        double[] levels = {4, 2};
        @Option(names = "--results", description = "Where to write the results. Default: ${DEFAULT-VALUE}")
        Path results = Path.of("bench", "results");

        @Override
        public Integer call() throws Exception {
            TensorFlowRuntime.forceOffline();
            Path work = Files.createTempDirectory("neurostream-bench-");
            try {
                PreparationBenchmark.run(new PreparationBenchmark.Options(work, models.resolve("change-classifier"),
                        noBrainExtraction ? Optional.empty() : Optional.of(models.resolve("brain-extraction-mindgrab")),
                        Arrays.copyOf(levels, levels.length), results), System.out);
            } finally {
                FileTrees.deleteRecursively(work);
            }
            return 0;
        }
    }

    @Command(name = "end-to-end", mixinStandardHelpOptions = true,
            description = "Study pairs through the whole pipeline in one JVM as the demo runs it (classifier + "
                    + "tissue model on Colin27 phantoms): latency from the follow-up's last instance received to "
                    + "its SR stored in Orthanc (p50, p95), pairs per hour, peak RSS, step breakdown. About a minute "
                    + "per pair on 2 cores.")
    static final class EndToEnd implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--pairs", description = "Study pairs. Default: ${DEFAULT-VALUE}")
        int pairs = 50;
        @Option(names = "--cohort", description = "Phantom cohort folder: reused when it holds the pairs, else "
                + "written (about 10 s per pair). Default: ${DEFAULT-VALUE}")
        Path cohort = Path.of("work", "bench", "cohort-20261123-50");
        @Option(names = "--seed", description = "Phantom seed. Default: ${DEFAULT-VALUE}")
        long seed = 20261123;
        @Option(names = "--work-dir", description = "Broker, PACS, blob store and state (emptied first). "
                + "Default: ${DEFAULT-VALUE}")
        Path workDir = Path.of("work", "bench", "end-to-end");
        @Option(names = "--models", description = "Models folder. Default: ${DEFAULT-VALUE}")
        Path models = Path.of("models");
        @Option(names = "--quiet-period-ms", description = "Series completion quiet period (the demo's). "
                + "Default: ${DEFAULT-VALUE}")
        long quietPeriodMs = 2000;
        @Option(names = "--timeout-seconds", description = "Per pair. Default: ${DEFAULT-VALUE}")
        int timeoutSeconds = 600;
        @Option(names = "--results", description = "Where to write the results. Default: ${DEFAULT-VALUE}")
        Path results = Path.of("bench", "results");

        @Override
        public Integer call() throws Exception {
            TensorFlowRuntime.forceOffline();
            FileTrees.deleteRecursively(workDir);
            EndToEndBenchmark.run(new EndToEndBenchmark.Options(cohort, pairs, seed, workDir, models, results,
                    Duration.ofMillis(quietPeriodMs), Duration.ofSeconds(timeoutSeconds), commandLine(spec)),
                    System.out);
            return 0;
        }
    }

    @Command(name = "inference", mixinStandardHelpOptions = true,
            description = "CPU inference time per model (change classifier, tissue model, mindgrab brain extraction)"
                    + " on one 256^3 pair, with and without oneDNN: launches one child JVM per setting and writes "
                    + "both side by side, with the sum per pair against the 15 s goal. Several minutes (mindgrab).")
    static final class Inference implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--models", description = "Models folder. Default: ${DEFAULT-VALUE}")
        Path models = Path.of("models");
        @Option(names = "--no-brain-extraction", description = "Skip mindgrab (2-3 minutes per volume).")
        boolean noBrainExtraction;
        @Option(names = "--child-timeout-minutes", description = "Each child JVM is stopped after this long and what "
                + "it finished is reported (without oneDNN, mindgrab alone may take far longer). Default: "
                + "${DEFAULT-VALUE}")
        long childTimeoutMinutes = 20;
        @Option(names = "--results", description = "Where to write the results. Default: ${DEFAULT-VALUE}")
        Path results = Path.of("bench", "results");

        @Override
        public Integer call() throws Exception {
            List<String> child = new ArrayList<>(List.of("bench", "inference-child", "--models", models.toString()));
            if (noBrainExtraction) {
                child.add("--no-brain-extraction");
            }
            InferenceBenchmark.compare(NeuroStreamCli.class.getName(), child, !noBrainExtraction,
                    childTimeoutMinutes, results,
                    commandLine(spec), System.out);
            return 0;
        }
    }

    /** One side of {@link Inference}: measures in this JVM, with the oneDNN setting it was started with. */
    @Command(name = "inference-child", hidden = true)
    static final class InferenceChild implements Callable<Integer> {
        @Option(names = "--models")
        Path models = Path.of("models");
        @Option(names = "--no-brain-extraction")
        boolean noBrainExtraction;
        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() throws Exception {
            TensorFlowRuntime.forceOffline();
            InferenceBenchmark.measure(models, !noBrainExtraction, out, System.out);
            return 0;
        }
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "storescu sending the same phantom series to our C-STORE SCP (ingest with blob store and "
                    + "an embedded broker) and to DCMTK's storescp, in alternating rounds: instances/s, MB/s and the "
                    + "ratio (goal >= 1.0). Writes the cohort first when it is missing.")
    static final class Ingest implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--cohort", description = "Phantom cohort folder (as end-to-end). Default: ${DEFAULT-VALUE}")
        Path cohort = Path.of("work", "bench", "cohort-20261123-50");
        @Option(names = "--subjects", description = "Send these subjects' four series (T1 + FLAIR, two visits, "
                + "181 instances each). Default: ${DEFAULT-VALUE}")
        int subjects = 1;
        @Option(names = "--rounds", description = "Timed rounds per receiver. Default: ${DEFAULT-VALUE}")
        int rounds = 6;
        @Option(names = "--jfr", description = "Also record a JFR profile of the timed rounds to this file.")
        Path jfr;
        @Option(names = "--work-dir", description = "Default: ${DEFAULT-VALUE}")
        Path workDir = Path.of("work", "bench", "ingest");
        @Option(names = "--results", description = "Where to write the results. Default: ${DEFAULT-VALUE}")
        Path results = Path.of("bench", "results");

        @Override
        public Integer call() throws Exception {
            FileTrees.deleteRecursively(workDir);
            EndToEndBenchmark.Options cohortOptions = new EndToEndBenchmark.Options(cohort, subjects, 20261123,
                    workDir, Path.of("models"), results, Duration.ZERO, Duration.ZERO, "");
            List<Path> series = new ArrayList<>();
            EndToEndBenchmark.cohort(cohortOptions, System.out).forEach(p -> series.addAll(
                    List.of(p.baselineT1(), p.baselineFlair(), p.followUpT1(), p.followUpFlair())));
            IngestBenchmark.run(new IngestBenchmark.Options(series, rounds, workDir, results, jfr,
                    commandLine(spec)), System.out);
            FileTrees.deleteRecursively(workDir);
            return 0;
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true,
            description = "ingest, inference and end-to-end one after the other with their defaults (about an hour "
                    + "on 2 cores, most of it end-to-end); each writes bench/results/<name>.json and .md.")
    static final class All implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CommandLine bench = spec.parent().commandLine();
            for (String name : List.of("ingest", "inference", "end-to-end")) {
                int exit = bench.getSubcommands().get(name).execute();
                if (exit != 0) {
                    return exit;
                }
            }
            return 0;
        }
    }
}
