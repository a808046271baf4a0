package org.neurostream.phantom;

import java.util.Random;

/**
 * Draws a follow-up's change and finds the brain-surface level that produces it. Declining: parenchyma loss
 * 1.9-3.6% (inside the promised 1.5-4%) from cortical shrinkage, wider sulci and ventricle growth of 18-36%
 * (inside 15-40%). Stable: parenchyma within +-0.2%, ventricles within +-1.5%.
 */
final class ChangeModel {
    /** Sampling stride of the calibration measurements: every 2nd voxel per axis is accurate to ~0.05%. */
    private static final int STRIDE = 2;
    private static final int ITERATIONS = 4;

    static AtrophyState followUp(PhantomAnatomy anatomy, boolean declining, Random random) {
        double loss;
        double ventricleGain;
        double widening;
        if (declining) {
            loss = Seeds.uniform(random, 0.019, 0.036);
            ventricleGain = Seeds.uniform(random, 0.18, 0.36);
            // Wider sulci take a share of the loss in proportion to it, the shrinking surface the rest.
            widening = loss * Seeds.uniform(random, 6, 9);
        } else {
            loss = Seeds.uniform(random, -0.002, 0.002);
            ventricleGain = Seeds.uniform(random, -0.015, 0.015);
            widening = 0;
        }
        AtrophyState state = new AtrophyState(1, widening, 1 + ventricleGain);
        double baseline = T1Scanner.measure(anatomy, AtrophyState.BASELINE, STRIDE).parenchymaMl();
        return solvePialLevel(anatomy, state, baseline * (1 - loss));
    }

    /** Secant search on the pial level; parenchyma grows about as the cube of the level. */
    private static AtrophyState solvePialLevel(PhantomAnatomy anatomy, AtrophyState state, double target) {
        double level = 1;
        double volume = parenchyma(anatomy, state.withPialLevel(level));
        double nextLevel = level - (volume - target) / (3 * volume);
        for (int n = 0; n < ITERATIONS && Math.abs(volume - target) > 1e-5 * target; n++) {
            double nextVolume = parenchyma(anatomy, state.withPialLevel(nextLevel));
            double slope = (nextVolume - volume) / (nextLevel - level);
            level = nextLevel;
            volume = nextVolume;
            if (slope <= 0 || Math.abs(volume - target) <= 1e-5 * target) {
                break;
            }
            nextLevel = level - (volume - target) / slope;
        }
        return state.withPialLevel(level);
    }

    private static double parenchyma(PhantomAnatomy anatomy, AtrophyState state) {
        return T1Scanner.measure(anatomy, state, STRIDE).parenchymaMl();
    }

    private ChangeModel() {
    }
}
