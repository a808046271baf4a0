package org.neurostream.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Optional;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.inference.TissueSegmenter;
import org.neurostream.phantom.ColinPhantomGenerator;
import org.neurostream.processor.analysis.TissueChangeModel;
import org.neurostream.processor.preparation.PairPreparation;

/**
 * {@code calibrate-pbvc}: the boundary shift integral's PBVC against the phantoms' true PBVC on pairs of a seed the
 * evaluation never uses, through the processor's own path; prints each pair and the least-squares slope of true
 * against measured through the origin (no change must still read as no change). A slope far from 1 would call for
 * a calibration factor; on 8 pairs of seed 4001 it was 0.998, so PBVC is used as the integral reads it and what is
 * left is scatter from pair to pair, not bias.
 */
public final class PbvcCalibration {
    private PbvcCalibration() {
    }

    /** @return the fitted factor (true PBVC per uncalibrated PBVC point) */
    public static double run(Path tissueModelDirectory, long seed, int pairs, PrintStream out) throws IOException {
        if (seed == EvaluationReport.TISSUE_SEED) {
            throw new IllegalArgumentException("seed " + seed + " is the evaluation's: calibrate on another");
        }
        double sumTm = 0;
        double sumMm = 0;
        try (TissueSegmenter segmenter = TissueSegmenter.load(tissueModelDirectory)) {
            PairPreparation preparation = new PairPreparation(Optional.empty(), new RigidRegistration(), 0.3);
            TissueChangeModel model = new TissueChangeModel(segmenter);
            ColinPhantomGenerator generator = new ColinPhantomGenerator(seed);
            for (int subject = 0; subject < pairs; subject++) {
                ColinPhantomGenerator.Pair pair = generator.pair(subject, subject % 2 == 1);
                double measured = model.measure(EvaluationReport.prepared(preparation, pair.baseline().t1(),
                        pair.followUp().t1(), subject), new HashMap<>()).pbvcPercent();
                double truth = pair.truth().pbvcPercent();
                sumTm += truth * measured;
                sumMm += measured * measured;
                out.printf(Locale.ROOT, "calibration pair %d: boundary shift integral %+.3f%%, true %+.3f%%%n",
                        subject, measured, truth);
            }
        }
        double factor = sumTm / sumMm;
        out.printf(Locale.ROOT, "slope of true against measured PBVC (seed %d, %d pairs): %.3f (1 = no bias)%n",
                seed, pairs, factor);
        return factor;
    }
}
