package org.neurostream.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neurostream.inference.TensorFlowRuntime;
import org.neurostream.training.TrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the change classifier (DJL PyTorch, CPU) on phantom pairs and export it as a TensorFlow SavedModel.")
public final class TrainModelCommand implements Callable<Integer> {
    private static final TrainCommand.Options D = TrainCommand.Options.defaults();

    @Option(names = "--steps", description = "Default: ${DEFAULT-VALUE}")
    int steps = D.steps();
    @Option(names = "--batch-size", description = "Default: ${DEFAULT-VALUE}")
    int batchSize = D.batchSize();
    @Option(names = "--seed", description = "Phantom seed of the training subjects. Default: ${DEFAULT-VALUE}")
    long seed = D.seed();
    @Option(names = "--subjects", description = "Training subjects (each gives a stable and a declining pair). Default: ${DEFAULT-VALUE}")
    int subjects = D.subjects();
    @Option(names = "--output", description = "Model directory to write. Default: ${DEFAULT-VALUE}")
    Path output = D.outputDirectory();
    @Option(names = "--log-every", description = "Progress line every N steps. Default: ${DEFAULT-VALUE}")
    int logEvery = D.logEvery();
    @Option(names = "--version", description = "Model version for the card. Default: ${DEFAULT-VALUE}")
    String version = D.version();
    @Option(names = "--cache", description = "Cache of prepared phantom pairs. Default: ${DEFAULT-VALUE}")
    Path cache = D.cacheRoot();

    @Override
    public Integer call() throws Exception {
        TensorFlowRuntime.forceOffline();
        TrainCommand.run(new TrainCommand.Options(steps, batchSize, seed, subjects, output, logEvery, version, cache),
                System.out);
        return 0;
    }
}
