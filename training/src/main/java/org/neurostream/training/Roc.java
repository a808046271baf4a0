package org.neurostream.training;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Receiver operating characteristic of scores against binary truth: the curve (one point per distinct threshold,
 * from (0, 0) to (1, 1)) and the area under it, which equals the probability that a random positive scores above a
 * random negative (ties count half).
 */
public record Roc(List<double[]> points, double auc) {
    /** One scored case. */
    public record Case(double score, boolean positive) {
    }

    public static Roc of(List<Case> cases) {
        long positives = cases.stream().filter(Case::positive).count();
        long negatives = cases.size() - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("a ROC needs positives and negatives, got " + positives + " and "
                    + negatives);
        }
        List<Case> sorted = new ArrayList<>(cases);
        sorted.sort(Comparator.comparingDouble(Case::score).reversed());
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, 0});
        long tp = 0;
        long fp = 0;
        double area = 0;
        for (int n = 0; n < sorted.size(); ) {
            double score = sorted.get(n).score();
            long tpBefore = tp;
            long fpBefore = fp;
            // Every case with this score moves the threshold at once: ties make a diagonal step.
            for (; n < sorted.size() && sorted.get(n).score() == score; n++) {
                if (sorted.get(n).positive()) {
                    tp++;
                } else {
                    fp++;
                }
            }
            area += (fp - fpBefore) * (tp + tpBefore) / 2.0;
            points.add(new double[] {fp / (double) negatives, tp / (double) positives});
        }
        return new Roc(List.copyOf(points), area / (positives * (double) negatives));
    }
}
