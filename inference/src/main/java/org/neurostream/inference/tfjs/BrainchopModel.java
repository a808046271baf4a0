package org.neurostream.inference.tfjs;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.neurostream.inference.ModelCard;

/**
 * The four pretrained MeshNet models of neuroneural/brainchop (shared/data/brainchop, MIT) and what the converter
 * needs to know about each beyond model.json: name, meaning of the classes, preprocessing.
 */
public enum BrainchopModel {
    MINDGRAB("mindgrab", "brain-extraction-mindgrab", "skull stripping (brain extraction); works across T1, T2, "
            + "FLAIR and other contrasts", "class scores: 0 background, 1 brain (brain = probability > 0.5)", 0, 100),
    MODEL11_GW_AE("model11_gw_ae", "tissue-segmentation-model11", "grey/white matter segmentation of T1",
            "class scores: 0 background, 1 white matter, 2 grey matter", 0, 100),
    MODEL20CHAN3CLS("model20chan3cls", "tissue-segmentation-model20chan3cls",
            "grey/white matter segmentation of T1", "class scores: 0 background, 1 white matter, 2 grey matter "
                    + "(brainchop's threshold: 0.2)", 5, 95),
    MODEL5_GW_AE("model5_gw_ae", "tissue-segmentation-model5", "grey/white matter segmentation of T1 (smallest)",
            "class scores: 0 background, 1 white matter, 2 grey matter", 0, 100);

    public static final String COMMIT = "4c87885f3a2a8835e260d521dcec922b58d91d41";
    public static final String VERSION = "brainchop-" + COMMIT.substring(0, 7);
    public static final int GRID = 256;

    private final String directory;
    private final String modelName;
    private final String task;
    private final String outputMeaning;
    private final double lowPercentile;
    private final double highPercentile;

    BrainchopModel(String directory, String modelName, String task, String outputMeaning, double lowPercentile,
            double highPercentile) {
        this.directory = directory;
        this.modelName = modelName;
        this.task = task;
        this.outputMeaning = outputMeaning;
        this.lowPercentile = lowPercentile;
        this.highPercentile = highPercentile;
    }

    /** The folder name under shared/data/brainchop. */
    public String directory() {
        return directory;
    }

    public String modelName() {
        return modelName;
    }

    public static BrainchopModel byDirectory(String name) {
        for (BrainchopModel model : values()) {
            if (model.directory.equals(name) || model.modelName.equals(name)) {
                return model;
            }
        }
        throw new IllegalArgumentException("unknown brainchop model '" + name + "'; known: "
                + List.of(values()).stream().map(m -> m.directory).toList());
    }

    /** What the source says the brainchop authors trained on (quoted from model.json where it says anything). */
    String trainingData() {
        return switch (this) {
            case MODEL11_GW_AE -> "By the brainchop authors, according to the source's model.json: about 6000 "
                    + "FreeSurfer-labelled T1 scans (MRN collection, MindfulTensors), tuned on HCP (hcp770) FreeSurfer "
                    + "labels; not retrained here";
            case MINDGRAB -> "By the brainchop authors; the source files name no training data (see "
                    + "neuroneural/brainchop); not retrained here";
            default -> "By the brainchop authors (see the source's model.json); not retrained here";
        };
    }

    /**
     * Figures measured on the converted model by this repository's tests and evaluation (each names its data and
     * where it comes from). They describe these exact bytes, so they live with the conversion that reproduces
     * them; models not shipped have none.
     */
    List<ModelCard.Metric> metrics() {
        return switch (this) {
            case MINDGRAB -> List.of(new ModelCard.Metric("Dice of the brain mask vs ch2bet", 0.927,
                    "Colin27 T1 (Debian mricron-data ch2.nii.gz) against its brain-extracted ch2bet.nii.gz > 0; "
                            + "one healthy adult; BrainExtractorTest"));
            case MODEL11_GW_AE -> List.of(
                    new ModelCard.Metric("Dice grey matter vs k-means", 0.866, "Colin27 T1 (Debian mricron-data "
                            + "ch2.nii.gz) against 3-class k-means inside ch2bet: agreement of two labellings, "
                            + "not accuracy against a truth; TissueSegmenterTest"),
                    new ModelCard.Metric("Dice white matter vs k-means", 0.894, "as above; TissueSegmenterTest"),
                    new ModelCard.Metric("Dice grey and white matter vs phantom labels (mean)", 0.902,
                            "6 Colin27 phantom pairs at 1 mm (seed 3001), both visits, through the processor's "
                                    + "path; synthetic, not patients; scripts/neurostream evaluate "
                                    + "(reports/evaluation)"),
                    new ModelCard.Metric("absolute PBVC error, mean (percentage points)", 0.232,
                            "the same 6 phantom pairs, PBVC by the boundary shift integral around this model's "
                                    + "parenchyma; scripts/neurostream evaluate (reports/evaluation)"));
            default -> null;
        };
    }

    /** The conversion spec for this model, with the licence file expected beside the model folders. */
    public TfjsConverter.ModelSpec spec(Path brainchopRoot) {
        boolean minMax = lowPercentile == 0 && highPercentile == 100;
        String intensity = minMax ? "min-max: the conformed volume's minimum -> 0, maximum -> 1"
                : String.format(Locale.ROOT, "the conformed volume's %.0f%%..%.0f%% quantiles -> 0..1, clamped",
                        lowPercentile, highPercentile);
        ModelCard.Preprocessing preprocessing = new ModelCard.Preprocessing(List.of(GRID, GRID, GRID),
                List.of(1.0, 1.0, 1.0), "reorient exactly to LPS voxel order, trilinear resampling to 256^3 at 1 mm "
                        + "centred on the volume centre (zero outside; along an axis already at 1 mm, moved by under "
                        + "half a voxel onto the volume's own voxels, so those are copied, not interpolated), then "
                        + "tensor axes d0, d1, d2 = Left, Inferior, "
                        + "Anterior (LIA, FreeSurfer's conform order): LPS voxel (i, j, k) -> (i, 255-k, 255-j)",
                lowPercentile, highPercentile, intensity);
        return new TfjsConverter.ModelSpec(modelName, VERSION, "Pretrained MeshNet '" + directory + "' from "
                        + "brainchop: " + task + ". Converted from TensorFlow.js to a frozen TensorFlow SavedModel.",
                "one T1 (or other contrast) volume after the preprocessing below", outputMeaning, preprocessing,
                "neuroneural/brainchop, public/models/" + directory + " at commit " + COMMIT,
                "MIT, Copyright (c) 2021 neuroneural/brainchop; the full notice is in LICENSE beside this file and "
                        + "must travel with every copy",
                "Trained by the brainchop authors on their data, not validated here beyond the tests of this "
                        + "repository (Colin27). Expects a whole head at roughly 1 mm; research use, not a medical "
                        + "device.",
                trainingData(), metrics(), brainchopRoot.resolve(TfjsConverter.LICENCE_FILE));
    }
}
