package org.neurostream.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neurostream.inference.TensorFlowRuntime;
import org.neurostream.training.EvaluateCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Accuracy of the served change classifier on held-out phantom pairs; records it in the model card.")
public final class EvaluateModelCommand implements Callable<Integer> {
    private static final EvaluateCommand.Options D = EvaluateCommand.Options.defaults();

    @Option(names = "--model", description = "Default: ${DEFAULT-VALUE}")
    Path model = D.modelDirectory();
    @Option(names = "--seed", description = "Phantom seed of the held-out subjects (never the training seed). Default: ${DEFAULT-VALUE}")
    long seed = D.seed();
    @Option(names = "--pairs", description = "Held-out pairs. Default: ${DEFAULT-VALUE}")
    int pairs = D.pairs();
    @Option(names = "--cache", description = "Cache of prepared phantom pairs. Default: ${DEFAULT-VALUE}")
    Path cache = D.cacheRoot();

    @Override
    public Integer call() throws Exception {
        TensorFlowRuntime.forceOffline();
        EvaluateCommand.run(new EvaluateCommand.Options(model, seed, pairs, cache), System.out);
        return 0;
    }
}
