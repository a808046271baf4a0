package org.neurostream.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neurostream.evaluation.PbvcCalibration;
import org.neurostream.inference.TensorFlowRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "calibrate-pbvc", mixinStandardHelpOptions = true,
        description = "Measure PBVC (boundary shift integral) against the truth on 1 mm Colin27 phantom pairs of a seed "
                + "the evaluation never uses (about 1 min per pair on 2 cores); prints the slope of true against "
                + "measured PBVC, the calibration factor a bias would call for.")
public final class CalibratePbvcCommand implements Callable<Integer> {
    @Option(names = "--tissue-model", description = "Default: ${DEFAULT-VALUE}")
    Path tissueModel = Path.of("models", "tissue-segmentation-model11");
    @Option(names = "--seed", description = "Calibration phantom seed. Default: ${DEFAULT-VALUE}")
    long seed = 4001;
    @Option(names = "--pairs", description = "Pairs, stable and declining alternating. Default: ${DEFAULT-VALUE}")
    int pairs = 8;

    @Override
    public Integer call() throws Exception {
        TensorFlowRuntime.forceOffline();
        PbvcCalibration.run(tissueModel, seed, pairs, System.out);
        return 0;
    }
}
