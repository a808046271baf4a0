package org.neurostream.training;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.morphology.Masks;
import org.neurostream.inference.ConformedVolume;
import org.neurostream.inference.ModelCard;
import org.neurostream.inference.Sha256;
import org.neurostream.inference.TissueSegmenter;
import org.neurostream.inference.tfjs.BrainchopModel;
import org.neurostream.inference.tfjs.TfjsConverter;
import org.neurostream.inference.tfjs.TfjsModel;
import org.neurostream.inference.tfjs.TfjsModelReader;
import org.neurostream.phantom.ColinPhantomGenerator;

/**
 * {@code tune-tissue}: fine-tunes brainchop's pretrained tissue MeshNet (model11_gw_ae) on 1 mm Colin27 phantom
 * T1s, exports it through the same converter that serves the pretrained one (so it is a drop-in for
 * {@code processor.tissue-model-dir}), then serves it through TensorFlow on validation subjects the tuning never saw
 * (same seed, later subject numbers) and writes the figures into the model card.
 *
 * <p>Why fine-tune instead of training from scratch: the pretrained model already separates grey from white matter
 * on real scans; what it does not know is where the phantoms' labelling (k-means of Colin27's intensities) draws
 * the border, which it reads differently (mean grey/white Dice 0.90 against the phantom labels, against 0.97 after
 * tuning: reports/evaluation). Starting from its weights keeps
 * its architecture and speed and needs a few hundred steps on two CPU cores.
 */
public final class TissueTuneCommand {
    public static final String NAME = "tissue-segmentation-model11-phantom";
    public static final long DEFAULT_SEED = 7;
    static final String PROVENANCE = "fine-tuned here with DJL PyTorch from brainchop's model11_gw_ae";
    static final String LIMITATIONS = "brainchop's model11_gw_ae fine-tuned on synthetic phantoms only: one anatomy"
            + " (Colin27) bent by smooth deformations, brains rendered from k-means tissue labels with noise, bias and"
            + " drift. It learned that labelling; it is not validated on real patients and may segment them worse than"
            + " the pretrained model it started from. Expects a whole head at roughly 1 mm; for demonstration and"
            + " pipeline testing only; not a medical device.";

    public record Options(Path brainchop, int steps, int batchSize, int patch, long seed, int subjects,
            int validationSubjects, Path outputDirectory, String version) {
        public static Options defaults() {
            return new Options(Path.of("..", "shared", "data", "brainchop"), 500, 2, 64, DEFAULT_SEED, 8, 2,
                    Path.of("models", NAME), "1.0.0");
        }
    }

    /** Mean Dice of grey and white matter over the validation visits, and each one's. */
    public record Result(Path savedModel, double greyDice, double whiteDice, double firstLoss, double finalLoss,
            double seconds) {
        public double meanDice() {
            return (greyDice + whiteDice) / 2;
        }
    }

    private TissueTuneCommand() {
    }

    public static Result run(Options o, PrintStream out) throws IOException {
        long start = System.nanoTime();
        BrainchopModel source = BrainchopModel.MODEL11_GW_AE;
        TfjsConverter.ModelSpec spec = source.spec(o.brainchop());
        TfjsModel pretrained = TfjsModelReader.read(o.brainchop().resolve(source.directory()));
        ColinPhantomGenerator generator = new ColinPhantomGenerator(o.seed());
        List<TissueVisit> visits = new ArrayList<>();
        for (int subject = 0; subject < o.subjects(); subject++) {
            long t = System.nanoTime();
            ColinPhantomGenerator.Pair pair = generator.pair(subject, subject % 2 == 1);
            visits.add(TissueVisit.of(pair.baseline(), spec.preprocessing()));
            visits.add(TissueVisit.of(pair.followUp(), spec.preprocessing()));
            out.printf(Locale.ROOT, "subject %d: both visits made and conformed in %.1f s%n", subject,
                    (System.nanoTime() - t) / 1e9);
        }
        LossLog losses = new LossLog(o.steps(), out);
        TfjsModel tuned;
        try (TissueTuner tuner = new TissueTuner(pretrained, o.patch(), o.seed())) {
            for (int step = 1; step <= o.steps(); step++) {
                losses.add(step, tuner.step(visits, o.batchSize()));
            }
            tuned = tuner.net().toTfjs(NAME, PROVENANCE);
        }
        visits.clear(); // free the training volumes before validation makes its own
        double first = losses.first();
        double window10 = losses.meanOfLastTen();
        Files.createDirectories(o.outputDirectory());
        Path savedModel = TfjsConverter.writeSavedModel(tuned, o.outputDirectory());
        // Bytes, not Files.copy: the copy must not inherit the source's read-only permission bits.
        Files.write(o.outputDirectory().resolve(TfjsConverter.LICENCE_FILE), Files.readAllBytes(spec.licenceFile()));

        String engine = "DJL " + Engine.getDjlVersion() + " PyTorch " + Engine.getEngine("PyTorch").getVersion()
                + " (CPU)";
        String data = "starting from brainchop's pretrained model11_gw_ae (trained by its authors on real T1 scans),"
                + " fine-tuned on synthetic phantoms generated by NeuroStream's own ColinPhantomGenerator (Colin27"
                + " anatomy at 1 mm bent by smooth deformations, brains rendered from k-means tissue labels with atrophy,"
                + " motion, bias, drift and noise), both visits of seed " + o.seed() + ", subjects 0.."
                + (o.subjects() - 1) + "; patches of " + o.patch() + "^3 of the conformed volume; not real patients;"
                + " not clinically validated";
        double seconds = (System.nanoTime() - start) / 1e9;
        ModelCard.Training training = new ModelCard.Training(data, o.seed(), o.subjects(), o.subjects(), o.steps(),
                o.batchSize(), TissueTuner.OPTIMIZER, TissueTuner.LOSS, first, window10,
                Math.round(seconds * 10) / 10.0, engine);
        String retrain = String.format(Locale.ROOT, "From the repository root, after ./run-demo.sh or"
                + " scripts/setup.sh has built the project: scripts/neurostream tune-tissue --brainchop %s --steps %d"
                + " --batch-size %d --patch %d --seed %d --subjects %d --validation-subjects %d --output %s",
                o.brainchop(), o.steps(), o.batchSize(), o.patch(), o.seed(), o.subjects(), o.validationSubjects(),
                o.outputDirectory());
        // A provisional card so the folder loads; validation then measures the served model and rewrites it.
        card(o, spec, tuned, training, List.of(), Sha256.of(savedModel), retrain).write(o.outputDirectory());

        double grey = 0;
        double white = 0;
        int scans = 0;
        try (TissueSegmenter served = TissueSegmenter.load(o.outputDirectory())) {
            for (int s = o.subjects(); s < o.subjects() + o.validationSubjects(); s++) {
                ColinPhantomGenerator.Pair pair = generator.pair(s, s % 2 == 1);
                for (ColinPhantomGenerator.Visit visit : List.of(pair.baseline(), pair.followUp())) {
                    Volume labels = ConformedVolume.nearestOnto(served.segment(visit.t1()).labels(), visit.t1());
                    double g = Masks.dice(labels, visit.labels(), TissueSegmenter.GREY);
                    double w = Masks.dice(labels, visit.labels(), TissueSegmenter.WHITE);
                    out.printf(Locale.ROOT, "validation subject %d: Dice grey %.3f, white %.3f%n", s, g, w);
                    grey += g;
                    white += w;
                    scans++;
                }
            }
        }
        grey /= scans;
        white /= scans;
        String validation = "validation: seed " + o.seed() + ", subjects " + o.subjects() + ".."
                + (o.subjects() + o.validationSubjects() - 1) + ", both visits (not tuned on), served by TensorFlow"
                + " as the processor serves it, against the phantom labels; synthetic phantoms only";
        card(o, spec, tuned, training, List.of(
                new ModelCard.Metric("Dice grey matter vs phantom labels", grey, validation),
                new ModelCard.Metric("Dice white matter vs phantom labels", white, validation),
                new ModelCard.Metric("final training loss (mean of the last 10 steps)", window10, data)),
                Sha256.of(savedModel), retrain).write(o.outputDirectory());
        ChangeClassifierModelCard.writeMarkdown(ModelCard.read(o.outputDirectory()), o.outputDirectory());
        out.printf(Locale.ROOT, "validation: Dice grey %.3f, white %.3f (mean %.3f); model in %s; %.0f s in all%n",
                grey, white, (grey + white) / 2, o.outputDirectory(), (System.nanoTime() - start) / 1e9);
        return new Result(savedModel, grey, white, first, window10, seconds);
    }

    private static ModelCard card(Options o, TfjsConverter.ModelSpec spec, TfjsModel tuned,
            ModelCard.Training training, List<ModelCard.Metric> metrics, String sha256, String retrain) {
        return new ModelCard(NAME, o.version(), "brainchop's pretrained MeshNet 'model11_gw_ae' fine-tuned on"
                + " NeuroStream's Colin27 phantoms: grey/white matter segmentation of T1, the phantoms' labelling."
                + " Same inputs, outputs and preprocessing as tissue-segmentation-model11, so either serves"
                + " processor.tissue-model-dir.",
                TfjsConverter.architecture(tuned), TfjsConverter.inputSpecs(tuned, "one T1 volume after the"
                        + " preprocessing below"), TfjsConverter.outputSpecs(tuned, "class scores: 0 background"
                        + " (and CSF), 1 white matter, 2 grey matter"),
                spec.preprocessing(), training, null, sha256, LIMITATIONS, retrain, spec.source(), spec.licence())
                .withMetrics(metrics);
    }

}
