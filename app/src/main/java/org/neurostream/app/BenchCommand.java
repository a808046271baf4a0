package org.neurostream.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.neurostream.bench.PreparationBenchmark;
import org.neurostream.inference.TensorFlowRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Benchmarks: figures measured on this machine, printed and written to bench/results. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints its figures and writes JSON + Markdown to the results folder.",
        subcommands = {BenchCommand.Preparation.class})
public final class BenchCommand {

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
}
