package org.neurostream.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neurostream.inference.TensorFlowRuntime;
import org.neurostream.training.NewLesionTrainCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "train-lesions", mixinStandardHelpOptions = true,
        description = "Train the new-lesion segmenter (DJL PyTorch, CPU) on 1 mm Colin27 phantom FLAIR pairs, export "
                + "it as a TensorFlow SavedModel and validate the served model on subjects it was not trained on.")
public final class TrainLesionsCommand implements Callable<Integer> {
    private static final NewLesionTrainCommand.Options D = NewLesionTrainCommand.Options.defaults();

    @Option(names = "--steps", description = "Default: ${DEFAULT-VALUE}")
    int steps = D.steps();
    @Option(names = "--batch-size", description = "Patches per step. Default: ${DEFAULT-VALUE}")
    int batchSize = D.batchSize();
    @Option(names = "--patch", description = "Training patch edge in voxels (even). Default: ${DEFAULT-VALUE}")
    int patch = D.patch();
    @Option(names = "--window", description = "Served window edge in voxels (even). Default: ${DEFAULT-VALUE}")
    int window = D.window();
    @Option(names = "--seed", description = "Phantom seed. Default: ${DEFAULT-VALUE}")
    long seed = D.seed();
    @Option(names = "--subjects", description = "Training pairs (subjects 0..N-1). Default: ${DEFAULT-VALUE}")
    int subjects = D.subjects();
    @Option(names = "--validation-subjects", description = "Pairs after the training ones, for the card's figures. Default: ${DEFAULT-VALUE}")
    int validationSubjects = D.validationSubjects();
    @Option(names = "--output", description = "Model directory to write. Default: ${DEFAULT-VALUE}")
    Path output = D.outputDirectory();
    @Option(names = "--version", description = "Model version for the card. Default: ${DEFAULT-VALUE}")
    String version = D.version();

    @Override
    public Integer call() throws Exception {
        TensorFlowRuntime.forceOffline();
        NewLesionTrainCommand.run(new NewLesionTrainCommand.Options(steps, batchSize, patch, window, seed, subjects,
                validationSubjects, output, version), System.out);
        return 0;
    }
}
