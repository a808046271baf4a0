package org.neurostream.phantom;

/**
 * How far a visit's brain has moved from the subject's baseline anatomy.
 *
 * @param pialLevel        brain surface as a fraction of the baseline radius (1 = baseline; below 1 = shrunk)
 * @param sulcalWidening   lowers the folding threshold: wider sulci
 * @param ventricleRatio   volume ratio of both lateral ventricles to baseline
 */
record AtrophyState(double pialLevel, double sulcalWidening, double ventricleRatio) {
    static final AtrophyState BASELINE = new AtrophyState(1, 0, 1);

    AtrophyState withPialLevel(double level) {
        return new AtrophyState(level, sulcalWidening, ventricleRatio);
    }
}
