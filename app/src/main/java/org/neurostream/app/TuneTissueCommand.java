package org.neurostream.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neurostream.inference.TensorFlowRuntime;
import org.neurostream.training.TissueTuneCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tune-tissue", mixinStandardHelpOptions = true,
        description = "Fine-tune brainchop's pretrained tissue model (model11_gw_ae; DJL PyTorch, CPU) on 1 mm Colin27 "
                + "phantom T1s, export it as a TensorFlow SavedModel and validate the served model on subjects it was "
                + "not tuned on.")
public final class TuneTissueCommand implements Callable<Integer> {
    private static final TissueTuneCommand.Options D = TissueTuneCommand.Options.defaults();

    @Option(names = "--brainchop", description = "Folder holding the brainchop models. Default: ${DEFAULT-VALUE}")
    Path brainchop = D.brainchop();
    @Option(names = "--steps", description = "Default: ${DEFAULT-VALUE}")
    int steps = D.steps();
    @Option(names = "--batch-size", description = "Patches per step. Default: ${DEFAULT-VALUE}")
    int batchSize = D.batchSize();
    @Option(names = "--patch", description = "Training patch edge in voxels. Default: ${DEFAULT-VALUE}")
    int patch = D.patch();
    @Option(names = "--seed", description = "Phantom seed. Default: ${DEFAULT-VALUE}")
    long seed = D.seed();
    @Option(names = "--subjects", description = "Training subjects (0..N-1, both visits). Default: ${DEFAULT-VALUE}")
    int subjects = D.subjects();
    @Option(names = "--validation-subjects", description = "Subjects after the training ones, for the card's figures. Default: ${DEFAULT-VALUE}")
    int validationSubjects = D.validationSubjects();
    @Option(names = "--output", description = "Model directory to write. Default: ${DEFAULT-VALUE}")
    Path output = D.outputDirectory();
    @Option(names = "--version", description = "Model version for the card. Default: ${DEFAULT-VALUE}")
    String version = D.version();

    @Override
    public Integer call() throws Exception {
        TensorFlowRuntime.forceOffline();
        TissueTuneCommand.run(new TissueTuneCommand.Options(brainchop, steps, batchSize, patch, seed, subjects,
                validationSubjects, output, version), System.out);
        return 0;
    }
}
