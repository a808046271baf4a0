package org.neurostream.app;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neurostream.inference.ModelCard;
import org.neurostream.inference.tfjs.BrainchopModel;
import org.neurostream.inference.tfjs.TfjsConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Converts a brainchop TF.js layers model into the frozen SavedModel the processor serves. */
@Command(name = "convert-tfjs", mixinStandardHelpOptions = true,
        description = "Convert a brainchop MeshNet (TF.js layers format) into a SavedModel with its model card and "
                + "licence. Deterministic: converting again gives the same bytes.")
public final class ConvertTfjsCommand implements Callable<Integer> {
    @Option(names = "--brainchop", description = "Folder holding the brainchop models. Default: ${DEFAULT-VALUE}")
    Path brainchop = Path.of("..", "shared", "data", "brainchop");
    @Option(names = "--model", description = "mindgrab, model11_gw_ae, model20chan3cls or model5_gw_ae. "
            + "Default: ${DEFAULT-VALUE}")
    String model = "mindgrab";
    @Option(names = "--output", description = "Model directory to write. Default: ${DEFAULT-VALUE}")
    Path output = Path.of("models", "brain-extraction-mindgrab");

    @Override
    public Integer call() throws Exception {
        BrainchopModel source = BrainchopModel.byDirectory(model);
        long start = System.nanoTime();
        ModelCard card = TfjsConverter.convert(brainchop.resolve(source.directory()), output, source.spec(brainchop));
        System.out.printf(Locale.ROOT, "converted %s to %s in %.2f s; saved_model.pb sha256 %s%n",
                source.directory(), output, (System.nanoTime() - start) / 1e9, card.savedModelSha256());
        return 0;
    }
}
