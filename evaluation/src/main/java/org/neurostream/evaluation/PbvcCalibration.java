package org.neurostream.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.inference.TissueSegmenter;
import org.neurostream.phantom.ColinPhantomGenerator;
import org.neurostream.processor.analysis.TissueChangeModel;
import org.neurostream.processor.preparation.PairPreparation;

/**
 * {@code calibrate-pbvc}: the boundary shift integral's PBVC against the phantoms' true PBVC on pairs of a seed the
 * evaluation never uses, through the processor's own path, for each tissue model on the same pairs; prints each
 * pair, the mean absolute error and the least-squares line of true against measured PBVC. A slope far from 1 or an
 * offset far from 0 would call for a calibration. With the polynomial bias field (20 pairs of seed 4001) the lines
 * were 1.085 x - 0.02 (model11) and 0.96 x + 0.07 (the phantom-tuned model), and the mean errors 0.13 and 0.17
 * points, so PBVC is reported as the integral reads it: a line fitted on phantoms would gain 0.04 points there and
 * is unproven on patients.
 */
public final class PbvcCalibration {
    private PbvcCalibration() {
    }

    /** A line of true PBVC against measured, in percentage points, and the mean absolute error of the integral. */
    public record Fit(double slope, double offset, double meanAbsoluteError) {
        /** Least squares over the pairs. */
        public static Fit of(double[] measured, double[] truth) {
            int n = measured.length;
            if (n < 3 || truth.length != n) {
                throw new IllegalArgumentException("a line needs at least 3 pairs of measured and true PBVC");
            }
            double mx = 0;
            double my = 0;
            double error = 0;
            for (int i = 0; i < n; i++) {
                mx += measured[i] / n;
                my += truth[i] / n;
                error += Math.abs(measured[i] - truth[i]) / n;
            }
            double sxy = 0;
            double sxx = 0;
            for (int i = 0; i < n; i++) {
                sxy += (measured[i] - mx) * (truth[i] - my);
                sxx += (measured[i] - mx) * (measured[i] - mx);
            }
            if (sxx == 0) {
                throw new IllegalArgumentException("every pair measured the same PBVC: no slope can be fitted");
            }
            return new Fit(sxy / sxx, my - sxy / sxx * mx, error);
        }
    }

    /** @return each model's fit, in the order of {@code tissueModelDirectories} */
    public static List<Fit> run(List<Path> tissueModelDirectories, long seed, int pairs, PrintStream out)
            throws IOException {
        if (seed == EvaluationReport.TISSUE_SEED) {
            throw new IllegalArgumentException("seed " + seed + " is the evaluation's: calibrate on another");
        }
        int models = tissueModelDirectories.size();
        double[][] measured = new double[models][pairs];
        double[] truth = new double[pairs];
        List<TissueSegmenter> segmenters = new ArrayList<>();
        List<TissueChangeModel> changeModels = new ArrayList<>();
        try {
            for (Path directory : tissueModelDirectories) {
                segmenters.add(TissueSegmenter.load(directory));
                changeModels.add(new TissueChangeModel(segmenters.get(segmenters.size() - 1)));
            }
            PairPreparation preparation = new PairPreparation(Optional.empty(), new RigidRegistration(), 0.3);
            ColinPhantomGenerator generator = new ColinPhantomGenerator(seed);
            for (int subject = 0; subject < pairs; subject++) {
                long start = System.nanoTime();
                ColinPhantomGenerator.Pair pair = generator.pair(subject, subject % 2 == 1);
                PairPreparation.PreparedPair prepared = EvaluationReport.prepared(preparation, pair.baseline().t1(),
                        pair.followUp().t1(), subject);
                truth[subject] = pair.truth().pbvcPercent();
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                        "calibration pair %d: true %+.3f%%; boundary shift integral", subject, truth[subject]));
                for (int m = 0; m < models; m++) {
                    measured[m][subject] = changeModels.get(m).measure(prepared, new HashMap<>()).pbvcPercent();
                    line.append(String.format(Locale.ROOT, " %+.3f%% (%s)", measured[m][subject],
                            tissueModelDirectories.get(m).getFileName()));
                }
                out.println(line.append(String.format(Locale.ROOT, "; %.0f s", (System.nanoTime() - start) / 1e9)));
            }
        } finally {
            segmenters.forEach(TissueSegmenter::close);
        }
        List<Fit> fits = new ArrayList<>();
        for (int m = 0; m < models; m++) {
            Fit fit = Fit.of(measured[m], truth);
            out.printf(Locale.ROOT, "%s (seed %d, %d pairs): mean absolute error %.3f points; true PBVC = %.3f x"
                    + " measured %s %.3f (a line of 1 x + 0 = no bias)%n", tissueModelDirectories.get(m).getFileName(),
                    seed, pairs, fit.meanAbsoluteError(), fit.slope(), fit.offset() < 0 ? "-" : "+",
                    Math.abs(fit.offset()));
            fits.add(fit);
        }
        return fits;
    }
}
