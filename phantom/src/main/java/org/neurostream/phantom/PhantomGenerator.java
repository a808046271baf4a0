package org.neurostream.phantom;

import org.neurostream.imaging.Volume;

/**
 * Deterministic synthetic brain T1 phantoms: the same seed and subject index always give the same volumes.
 *
 * <p>Each volume is 128 x 128 x 80 voxels of 2 x 2 x 2.5 mm, axial (identity direction), centred on patient
 * origin 0,0,0. A subject's anatomy depends only on (seed, subject); the follow-up's change on the
 * {@code declining} flag too; each visit has its own noise, bias field and intensity drift.
 */
public final class PhantomGenerator {
    private final long seed;

    public PhantomGenerator(long seed) {
        this.seed = seed;
    }

    /** Baseline and follow-up of subject {@code subject}; {@code declining} chooses the kind of change. */
    public PhantomPair pair(int subject, boolean declining) {
        PhantomAnatomy anatomy = anatomy(subject);
        AtrophyState followUpState = ChangeModel.followUp(anatomy, declining,
                Seeds.stream(seed, subject, Seeds.CHANGE));
        T1Scanner.Scan baseline = baselineScan(subject, anatomy);
        T1Scanner.Scan followUp = T1Scanner.scan(anatomy, followUpState,
                Seeds.stream(seed, subject, Seeds.FOLLOW_UP_SCAN));
        return new PhantomPair(subject, baseline.t1(), followUp.t1(), declining,
                percentChange(baseline.volumes().parenchymaMl(), followUp.volumes().parenchymaMl()),
                percentChange(baseline.volumes().ventricleMl(), followUp.volumes().ventricleMl()));
    }

    /** A single visit of subject {@code subject}: the same image as that subject's pair baseline. */
    public Volume single(int subject) {
        return baselineScan(subject, anatomy(subject)).t1();
    }

    /** Baseline tissue volumes of a subject (parenchyma and ventricles, millilitres), for reports and tests. */
    public double[] baselineTissueMillilitres(int subject) {
        T1Scanner.TissueVolumes volumes = T1Scanner.measure(anatomy(subject), AtrophyState.BASELINE, 1);
        return new double[] {volumes.parenchymaMl(), volumes.ventricleMl()};
    }

    /**
     * Hard tissue labels of a subject's baseline on the phantom grid (the tissue with the largest fraction):
     * 0 background, 1 CSF (outside the ventricles), 2 grey matter, 3 white matter, 4 ventricles, 5 scalp or skull.
     */
    public Volume baselineLabels(int subject) {
        return TissueLabels.of(anatomy(subject), AtrophyState.BASELINE);
    }

    private T1Scanner.Scan baselineScan(int subject, PhantomAnatomy anatomy) {
        return T1Scanner.scan(anatomy, AtrophyState.BASELINE, Seeds.stream(seed, subject, Seeds.BASELINE_SCAN));
    }

    private PhantomAnatomy anatomy(int subject) {
        return PhantomAnatomy.random(Seeds.stream(seed, subject, Seeds.ANATOMY));
    }

    private static double percentChange(double before, double after) {
        return 100 * (after - before) / before;
    }
}
