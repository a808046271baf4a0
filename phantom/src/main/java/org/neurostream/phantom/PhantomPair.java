package org.neurostream.phantom;

import org.neurostream.imaging.Volume;

/**
 * A synthetic subject's two visits with the change that was built into them (the ground truth).
 *
 * @param subject                      subject index within the generator's seed
 * @param baseline                     first visit, T1-weighted
 * @param followUp                     second visit, T1-weighted
 * @param declining                    whether the follow-up was given atrophy above the decline threshold
 * @param brainVolumeChangePercent     true percent brain (parenchyma) volume change, follow-up vs baseline
 * @param ventricleVolumeChangePercent true percent ventricle volume change
 */
public record PhantomPair(int subject, Volume baseline, Volume followUp, boolean declining,
        double brainVolumeChangePercent, double ventricleVolumeChangePercent) {
}
