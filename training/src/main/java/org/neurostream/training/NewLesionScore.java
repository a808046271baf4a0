package org.neurostream.training;

import org.neurostream.imaging.Volume;
import org.neurostream.imaging.morphology.ConnectedComponents;
import org.neurostream.imaging.morphology.Masks;
import org.neurostream.inference.lesions.NewLesionMap;

/**
 * How well predicted new lesions match the truth, lesion by lesion and voxel by voxel. A predicted lesion is a
 * true positive when it touches a true new lesion; a true lesion is found when some predicted lesion touches it
 * (the usual overlap criterion of MS lesion challenges). Scores add up over pairs by their counts.
 */
public record NewLesionScore(int predicted, int predictedHits, int truth, int truthFound, long overlapVoxels,
        long predictedVoxels, long truthVoxels) {

    public static NewLesionScore of(NewLesionMap prediction, Volume truthMask) {
        boolean[] predicted = prediction.mask();
        boolean[] truth = Masks.of(truthMask, 1);
        ConnectedComponents truthLesions = ConnectedComponents.label(truth, truthMask.nx(), truthMask.ny(),
                truthMask.nz());
        float[] labels = prediction.labels().data();
        boolean[] predictedHit = new boolean[prediction.count() + 1];
        boolean[] truthHit = new boolean[truthLesions.count() + 1];
        long overlap = 0;
        for (int n = 0; n < truth.length; n++) {
            if (predicted[n] && truth[n]) {
                overlap++;
                predictedHit[(int) labels[n]] = true;
                truthHit[truthLesions.labels()[n]] = true;
            }
        }
        return new NewLesionScore(prediction.count(), count(predictedHit), truthLesions.count(), count(truthHit),
                overlap, Masks.count(predicted), Masks.count(truth));
    }

    private static int count(boolean[] hits) {
        int c = 0;
        for (int i = 1; i < hits.length; i++) {
            c += hits[i] ? 1 : 0;
        }
        return c;
    }

    public NewLesionScore plus(NewLesionScore o) {
        return new NewLesionScore(predicted + o.predicted, predictedHits + o.predictedHits, truth + o.truth,
                truthFound + o.truthFound, overlapVoxels + o.overlapVoxels, predictedVoxels + o.predictedVoxels,
                truthVoxels + o.truthVoxels);
    }

    public static NewLesionScore none() {
        return new NewLesionScore(0, 0, 0, 0, 0, 0, 0);
    }

    /** Predicted lesions that are real; 1 when nothing was predicted. */
    public double precision() {
        return predicted == 0 ? 1 : (double) predictedHits / predicted;
    }

    /** True lesions found; 1 when there were none. */
    public double recall() {
        return truth == 0 ? 1 : (double) truthFound / truth;
    }

    public double lesionF1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Voxel Dice; 1 when both are empty. */
    public double voxelDice() {
        return predictedVoxels + truthVoxels == 0 ? 1 : 2.0 * overlapVoxels / (predictedVoxels + truthVoxels);
    }
}
