package org.neurostream.app;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.neurostream.evaluation.EvaluationReport;
import org.neurostream.inference.TensorFlowRuntime;
import org.neurostream.training.EvaluateCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "The evaluation report: every model on held-out phantom pairs, as Markdown with PNG figures "
                + "(the classifier's figures are also recorded in its model card).")
public final class EvaluateModelCommand implements Callable<Integer> {
    private static final EvaluateCommand.Options D = EvaluateCommand.Options.defaults();

    @Option(names = "--output", description = "Report folder (rewritten). Default: ${DEFAULT-VALUE}")
    Path output = Path.of("reports", "evaluation");
    @Option(names = "--model", description = "Change classifier. Default: ${DEFAULT-VALUE}")
    Path model = D.modelDirectory();
    @Option(names = "--tissue-model", split = ",", description = "Tissue models to compare (comma-separated). "
            + "Default: ${DEFAULT-VALUE}", defaultValue = "models/tissue-segmentation-model11-phantom,"
            + "models/tissue-segmentation-model11")
    List<Path> tissueModels;
    @Option(names = "--seed", description = "Phantom seed of the held-out classifier pairs (never the training seed). Default: ${DEFAULT-VALUE}")
    long seed = D.seed();
    @Option(names = "--pairs", description = "Held-out classifier pairs. Default: ${DEFAULT-VALUE}")
    int pairs = D.pairs();
    @Option(names = "--tissue-pairs", description = "1 mm pairs for tissue Dice and PBVC (~1 min each per tissue model on 2 cores). Default: ${DEFAULT-VALUE}")
    int tissuePairs = 6;
    @Option(names = "--lesion-model", description = "Default: ${DEFAULT-VALUE}")
    Path lesionModel = Path.of("models", "new-lesion-segmenter");
    @Option(names = "--lesion-pairs", description = "1 mm FLAIR pairs for new-lesion F1 and Dice (~40 s each on 2 cores). Default: ${DEFAULT-VALUE}")
    int lesionPairs = 12;
    @Option(names = "--cache", description = "Cache of prepared phantom pairs. Default: ${DEFAULT-VALUE}")
    Path cache = D.cacheRoot();

    @Override
    public Integer call() throws Exception {
        TensorFlowRuntime.forceOffline();
        EvaluationReport.run(new EvaluationReport.Options(output, model, tissueModels, seed, pairs,
                EvaluationReport.TISSUE_SEED, tissuePairs, cache, lesionModel, lesionPairs), System.out);
        return 0;
    }
}
