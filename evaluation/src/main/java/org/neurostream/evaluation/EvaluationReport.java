package org.neurostream.evaluation;

import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.HashMap;
import java.util.Optional;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.imaging.morphology.Masks;
import org.neurostream.inference.ConformedVolume;
import org.neurostream.inference.ModelCard;
import org.neurostream.inference.TissueSegmenter;
import org.neurostream.phantom.ColinPhantomGenerator;
import org.neurostream.processor.analysis.TissueChangeModel;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.inference.lesions.NewLesionInputs;
import org.neurostream.inference.lesions.NewLesionMap;
import org.neurostream.inference.lesions.NewLesionSegmenter;
import org.neurostream.training.EvaluateCommand;
import org.neurostream.training.NewLesionScore;

/**
 * {@code evaluate}: every model on held-out phantom pairs (seeds no training run used), written as
 * {@code README.md} plus PNG figures in one folder. Figures are measured, never typed in: rerunning the command
 * regenerates the report.
 */
public final class EvaluationReport {
    /** Colin27 pairs for the tissue models and the lesion model; no training or tuning run of ours used this seed. */
    public static final long TISSUE_SEED = 3001;

    /**
     * @param tissuePairs 1 mm Colin27 pairs for tissue Dice and PBVC (each costs two 256^3 forward passes)
     */
    public record Options(Path outputDirectory, Path classifierDirectory, List<Path> tissueModelDirectories,
            long classifierSeed, int classifierPairs, long tissueSeed, int tissuePairs, Path cacheRoot,
            Path lesionModelDirectory, int lesionPairs) {
    }

    /** One new-lesion pair: counts and volumes found against the truth, and the lesion-wise/voxel score. */
    public record LesionPair(int subject, int trueCount, int foundCount, double trueVolumeMl, double foundVolumeMl,
            NewLesionScore score) {
    }

    /** One tissue-evaluation pair: Dice against the phantom labels (both visits) and PBVC, measured and true. */
    public record TissuePair(int subject, double greyDice, double whiteDice, double measuredPbvc,
            double truePbvc) {
        public double pbvcError() {
            return Math.abs(measuredPbvc - truePbvc);
        }
    }

    /** One tissue model on every tissue pair: its folder, its card (name, description) and the pairs. */
    public record TissueResult(Path directory, ModelCard card, List<TissuePair> pairs) {
        public double meanTissueDice() {
            return pairs.stream().mapToDouble(t -> (t.greyDice() + t.whiteDice()) / 2).average().orElse(Double.NaN);
        }

        public double meanPbvcError() {
            return pairs.stream().mapToDouble(TissuePair::pbvcError).average().orElse(Double.NaN);
        }

        public double maxPbvcError() {
            return pairs.stream().mapToDouble(TissuePair::pbvcError).max().orElse(Double.NaN);
        }
    }

    /** The headline figures. */
    public record Summary(EvaluateCommand.Result classifier, List<TissueResult> tissue, List<LesionPair> lesions) {
        public NewLesionScore lesionScore() {
            return lesions.stream().map(LesionPair::score).reduce(NewLesionScore.none(), NewLesionScore::plus);
        }
    }

    private EvaluationReport() {
    }

    public static Summary run(Options options, PrintStream out) throws IOException {
        Path dir = options.outputDirectory();
        Files.createDirectories(dir);
        out.println("change classifier on held-out pairs");
        EvaluateCommand.Result classifier = EvaluateCommand.run(new EvaluateCommand.Options(
                options.classifierDirectory(), options.classifierSeed(), options.classifierPairs(),
                options.cacheRoot()), out);
        Figures.roc(classifier.roc(), "Change classifier: held-out phantom pairs", dir.resolve("roc.png"));

        List<TissueResult> tissue = new ArrayList<>();
        List<LesionPair> lesions = new ArrayList<>();
        List<TissueSegmenter> segmenters = new ArrayList<>();
        try (NewLesionSegmenter lesionSegmenter = NewLesionSegmenter.load(options.lesionModelDirectory())) {
            List<TissueChangeModel> models = new ArrayList<>();
            for (Path directory : options.tissueModelDirectories()) {
                segmenters.add(TissueSegmenter.load(directory));
                models.add(new TissueChangeModel(segmenters.get(segmenters.size() - 1)));
                tissue.add(new TissueResult(directory, ModelCard.read(directory), new ArrayList<>()));
            }
            // Exactly the processor's path: preparation (reorientation, registration), then the model.
            PairPreparation preparation = new PairPreparation(Optional.empty(), new RigidRegistration(), 0.3);
            ColinPhantomGenerator generator = new ColinPhantomGenerator(options.tissueSeed());
            for (int subject = 0; subject < Math.max(options.tissuePairs(), options.lesionPairs()); subject++) {
                long start = System.nanoTime();
                ColinPhantomGenerator.Pair pair = generator.pair(subject, subject % 2 == 1);
                if (subject < options.lesionPairs()) {
                    // The overlay figure shows the first pair that has new lesions.
                    lesions.add(lesions(pair, preparation, lesionSegmenter, dir,
                            lesions.stream().noneMatch(l -> l.trueCount() > 0), out));
                }
                if (subject >= options.tissuePairs()) {
                    continue;
                }
                PairPreparation.PreparedPair prepared = prepared(preparation, pair.baseline().t1(),
                        pair.followUp().t1(), subject);
                List<Figures.Panel> panels = new ArrayList<>(List.of(
                        Figures.Panel.image("follow-up T1", pair.followUp().t1()),
                        Figures.Panel.labels("phantom labels (truth)", pair.followUp().labels())));
                for (int m = 0; m < models.size(); m++) {
                    TissueChangeModel.Measured measured = models.get(m).measure(prepared, new HashMap<>());
                    // Each visit is segmented on its own grid, where its own truth lies.
                    Volume priorLabels = ConformedVolume.nearestOnto(measured.prior().labels(), pair.baseline().t1());
                    Volume currentLabels = ConformedVolume.nearestOnto(measured.current().labels(),
                            pair.followUp().t1());
                    double grey = (Masks.dice(priorLabels, pair.baseline().labels(), TissueSegmenter.GREY)
                            + Masks.dice(currentLabels, pair.followUp().labels(), TissueSegmenter.GREY)) / 2;
                    double white = (Masks.dice(priorLabels, pair.baseline().labels(), TissueSegmenter.WHITE)
                            + Masks.dice(currentLabels, pair.followUp().labels(), TissueSegmenter.WHITE)) / 2;
                    TissuePair result = new TissuePair(subject, grey, white, measured.pbvcPercent(),
                            pair.truth().pbvcPercent());
                    tissue.get(m).pairs().add(result);
                    // Short titles: the panels are narrow.
                    panels.add(Figures.Panel.labels(tissue.get(m).card().name().replace("tissue-segmentation-", ""),
                            currentLabels));
                    out.printf(Locale.ROOT, "tissue pair %d, %s: Dice grey %.3f white %.3f; PBVC %.2f%% (true "
                            + "%.2f%%); %.0f s so far%n", subject, tissue.get(m).card().name(), grey, white,
                            result.measuredPbvc(), result.truePbvc(), (System.nanoTime() - start) / 1e9);
                }
                if (subject == 0) {
                    panels.add(new Figures.Panel("FLAIR, new lesions in red", pair.followUp().flair(), false,
                            pair.newLesionMask(), new Color(230, 30, 30)));
                    Figures.panels(panels, pair.followUp().t1().nz() / 2 + 10, dir.resolve("tissue-maps.png"));
                }
            }
        } finally {
            segmenters.forEach(TissueSegmenter::close);
        }
        Summary summary = new Summary(classifier, tissue, lesions);
        Figures.lesionDetection(lesions, dir.resolve("lesion-detection.png"));
        Files.writeString(dir.resolve("README.md"), markdown(options, summary));
        out.println("report written to " + dir.resolve("README.md").toAbsolutePath());
        return summary;
    }

    /**
     * The new-lesion segmenter on one pair's FLAIR through the processor's own path (preparation, the baseline onto
     * the follow-up's grid, sliding window, components), scored against the phantom's new-lesion mask.
     */
    private static LesionPair lesions(ColinPhantomGenerator.Pair pair, PairPreparation preparation,
            NewLesionSegmenter segmenter, Path dir, boolean drawFirst, PrintStream out) throws IOException {
        long start = System.nanoTime();
        PairPreparation.PreparedPair prepared = prepared(preparation, pair.baseline().flair(),
                pair.followUp().flair(), pair.subject());
        Volume baselineOnFollowUp = NewLesionInputs.baselineOnFollowUp(prepared.baseline(), prepared.followUp(),
                prepared.baselineToFollowUp());
        NewLesionMap found = segmenter.detect(baselineOnFollowUp, prepared.followUp());
        Volume truth = pair.newLesionMask();
        // The phantom is written in canonical (LPS) order, so preparation's reorientation leaves its grid as is.
        if (found.labels().nx() != truth.nx() || found.labels().ny() != truth.ny()
                || found.labels().nz() != truth.nz()) {
            throw new IllegalStateException("the prepared follow-up's grid differs from the phantom's");
        }
        NewLesionScore score = NewLesionScore.of(found, truth);
        LesionPair result = new LesionPair(pair.subject(), pair.truth().newLesions().size(), found.count(),
                pair.truth().newLesionVolumeMl(), found.totalVolumeMl(), score);
        out.printf(Locale.ROOT, "lesion pair %d: %d found (%.2f mL), %d true (%.2f mL); lesion F1 %.3f, Dice %.3f in"
                + " %.0f s%n", pair.subject(), result.foundCount(), result.foundVolumeMl(), result.trueCount(),
                result.trueVolumeMl(), score.lesionF1(), score.voxelDice(), (System.nanoTime() - start) / 1e9);
        if (drawFirst && !pair.truth().newLesions().isEmpty()) {
            double[] centre = pair.truth().newLesions().get(0).centreMm();
            int slice = (int) Math.round(truth.toVoxel(centre[0], centre[1], centre[2])[2]);
            Figures.panels(List.of(Figures.Panel.image("baseline FLAIR (registered)", baselineOnFollowUp),
                    new Figures.Panel("follow-up, true new lesions", prepared.followUp(), false, truth,
                            new Color(230, 30, 30)),
                    new Figures.Panel("follow-up, found new lesions", prepared.followUp(), false, found.labels(),
                            new Color(30, 200, 60))), slice, dir.resolve("lesion-overlays.png"));
        }
        return result;
    }

    /** A phantom pair through the processor's preparation; phantoms always prepare, so a failure is a bug. */
    static PairPreparation.PreparedPair prepared(PairPreparation preparation, Volume baseline, Volume followUp,
            int subject) {
        try {
            return preparation.prepare(baseline, followUp, new HashMap<>());
        } catch (PairPreparation.PreparationException e) {
            throw new IllegalStateException("phantom pair " + subject + " failed preparation: " + e.getMessage(), e);
        }
    }

    static String markdown(Options o, Summary s) {
        EvaluateCommand.Result c = s.classifier();
        StringBuilder md = new StringBuilder();
        md.append("# NeuroStream evaluation report\n\n");
        md.append("> Every figure here is measured on **synthetic phantom pairs** made by NeuroStream's own generator "
                + "(Colin27 anatomy with synthetic atrophy, lesions, motion, bias and noise), on seeds no training "
                + "run used. Models trained/validated on synthetic data only. This says nothing about clinical "
                + "validity; NeuroStream is not a medical device.\n\n");
        md.append("Regenerate: `scripts/neurostream evaluate` (this folder is rewritten).\n\n");
        md.append("## Summary against the targets of issue 4\n\n");
        md.append("| measure | value | target | met |\n| --- | --- | --- | --- |\n");
        row(md, "decline AUC (change classifier)", c.roc().auc(), ">= 0.95", c.roc().auc() >= 0.95);
        row(md, "decline accuracy at P >= 0.5", c.accuracy(), ">= 0.90", c.accuracy() >= 0.90);
        for (TissueResult t : s.tissue()) {
            String model = " (`" + t.card().name() + "`)";
            row(md, "tissue Dice vs phantom labels, mean of grey and white" + model, t.meanTissueDice(), ">= 0.85",
                    t.meanTissueDice() >= 0.85);
            row(md, "absolute PBVC error, mean (percentage points)" + model, t.meanPbvcError(), "<= 0.3",
                    t.meanPbvcError() <= 0.3);
            row(md, "absolute PBVC error, worst pair (percentage points)" + model, t.maxPbvcError(), "<= 0.3",
                    t.maxPbvcError() <= 0.3);
        }
        NewLesionScore l = s.lesionScore();
        row(md, "new lesions: lesion-wise F1", l.lesionF1(), ">= 0.8", l.lesionF1() >= 0.8);
        row(md, "new lesions: voxel Dice", l.voxelDice(), ">= 0.7", l.voxelDice() >= 0.7);
        md.append('\n');
        md.append("## Change classifier\n\n");
        md.append(String.format(Locale.ROOT, "Model `%s`; %d held-out Colin27 phantom pairs (seed %d, 2 mm, each "
                + "registered as the processor does), half declining (PBVC below %.1f%%).\n\n",
                o.classifierDirectory(), c.pairs(), o.classifierSeed(),
                ColinPhantomGenerator.DECLINE_THRESHOLD_PBVC));
        md.append(String.format(Locale.ROOT, "- AUC %.3f; accuracy %.3f; sensitivity %.3f; specificity %.3f "
                + "(TP %d, TN %d, FP %d, FN %d)%n%n", c.roc().auc(), c.accuracy(), c.sensitivity(),
                c.specificity(), c.truePositives(), c.trueNegatives(), c.falsePositives(), c.falseNegatives()));
        md.append("![ROC curve](roc.png)\n\n");
        md.append("## Tissue segmentation and PBVC\n\n");
        md.append(String.format(Locale.ROOT, "Colin27 phantom pairs at 1 mm (seed %d). Dice is against the phantom's "
                + "own labels (which the phantom brain was rendered from), averaged over both visits; both go through "
                + "the processor's own path (registration, differential bias correction of the follow-up, each visit "
                + "segmented on its own grid); PBVC by the boundary shift integral over the baseline parenchyma's "
                + "edge, which each model's segmentation places.%n%n", o.tissueSeed()));
        for (TissueResult r : s.tissue()) {
            md.append(String.format(Locale.ROOT, "### `%s`%n%nFolder `%s`. %s%n%n", r.card().name(), r.directory(),
                    r.card().description()));
            md.append("| pair | Dice grey | Dice white | PBVC measured | PBVC true | abs error |\n"
                    + "| --- | --- | --- | --- | --- | --- |\n");
            for (TissuePair t : r.pairs()) {
                md.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %+.2f%% | %+.2f%% | %.2f |%n",
                        t.subject(), t.greyDice(), t.whiteDice(), t.measuredPbvc(), t.truePbvc(), t.pbvcError()));
            }
            md.append(String.format(Locale.ROOT, "%nMean Dice %.3f; PBVC error mean %.2f, worst %.2f points.%n%n",
                    r.meanTissueDice(), r.meanPbvcError(), r.maxPbvcError()));
        }
        md.append("\n![tissue maps](tissue-maps.png)\n\n");
        md.append("Colours: CSF blue, ventricles light blue, grey matter red, white matter white.\n\n");
        md.append("## New lesions\n\n");
        md.append(String.format(Locale.ROOT, "Model `%s` (NeuroStream's siamese light 3D U-Net after seed 001, trained "
                + "by `scripts/neurostream train-lesions` on other phantom subjects); %d Colin27 phantom FLAIR pairs at "
                + "1 mm (seed %d, the tissue pairs' seed; no training run used it). Each pair goes through the "
                + "processor's own path: preparation (registration), the baseline resampled onto the follow-up's grid, "
                + "sliding windows, threshold %.2f, components of at least %.2f mL. A found lesion counts as a hit "
                + "when it touches a true new lesion; a true lesion is found when a found one touches it. Old lesions "
                + "(bright in both visits) are in every pair with up to 3 per subject and must not be found.%n%n",
                o.lesionModelDirectory(), s.lesions().size(), o.tissueSeed(), NewLesionSegmenter.THRESHOLD,
                NewLesionSegmenter.MIN_LESION_VOLUME_ML));
        md.append(String.format(Locale.ROOT, "- Lesion-wise: precision %.3f (%d of %d found lesions are real), recall "
                + "%.3f (%d of %d true lesions found), F1 %.3f%n- Voxels: Dice %.3f (%d overlapping voxels; %d found, %d "
                + "true)%n%n", l.precision(), l.predictedHits(), l.predicted(), l.recall(), l.truthFound(), l.truth(),
                l.lesionF1(), l.voxelDice(), l.overlapVoxels(), l.predictedVoxels(), l.truthVoxels()));
        md.append("| pair | true lesions | found | true volume (mL) | found volume (mL) | lesion F1 | voxel Dice |\n"
                + "| --- | --- | --- | --- | --- | --- | --- |\n");
        for (LesionPair p : s.lesions()) {
            md.append(String.format(Locale.ROOT, "| %d | %d | %d | %.3f | %.3f | %.3f | %.3f |%n", p.subject(),
                    p.trueCount(), p.foundCount(), p.trueVolumeMl(), p.foundVolumeMl(), p.score().lesionF1(),
                    p.score().voxelDice()));
        }
        md.append("\n![lesion detection](lesion-detection.png)\n\n![lesion overlays](lesion-overlays.png)\n\n"
                + "Overlays: an axial slice through a true new lesion; truth in red, found in green.\n");
        return md.toString();
    }

    private static void row(StringBuilder md, String name, double value, String target, boolean met) {
        md.append(String.format(Locale.ROOT, "| %s | %.3f | %s | %s |%n", name, value, target, met ? "yes" : "no"));
    }
}
