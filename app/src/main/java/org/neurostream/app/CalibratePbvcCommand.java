package org.neurostream.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.neurostream.evaluation.PbvcCalibration;
import org.neurostream.inference.TensorFlowRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "calibrate-pbvc", mixinStandardHelpOptions = true,
        description = "Measure PBVC (boundary shift integral) against the truth on 1 mm Colin27 phantom pairs of a seed "
                + "the evaluation never uses (about 90 s per pair for two models on 2 cores); prints each tissue model's "
                + "mean error and its line of true against measured PBVC, the calibration a bias would call for.")
public final class CalibratePbvcCommand implements Callable<Integer> {
    @Option(names = "--tissue-model", split = ",", description = "Tissue models to calibrate on the same pairs "
            + "(comma-separated). Default: ${DEFAULT-VALUE}", defaultValue = "models/tissue-segmentation-model11,"
            + "models/tissue-segmentation-model11-phantom")
    List<Path> tissueModels;
    @Option(names = "--seed", description = "Calibration phantom seed. Default: ${DEFAULT-VALUE}")
    long seed = 4001;
    @Option(names = "--pairs", description = "Pairs, stable and declining alternating. Default: ${DEFAULT-VALUE}")
    int pairs = 20;

    @Override
    public Integer call() throws Exception {
        TensorFlowRuntime.forceOffline();
        PbvcCalibration.run(tissueModels, seed, pairs, System.out);
        return 0;
    }
}
