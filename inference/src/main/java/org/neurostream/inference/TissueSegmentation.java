package org.neurostream.inference;

import java.time.Duration;
import org.neurostream.imaging.Volume;

/**
 * Tissue labels of one T1 ({@link TissueSegmenter#CSF}, {@link TissueSegmenter#GREY}, {@link TissueSegmenter#WHITE};
 * 0 outside the head's intracranial envelope) on the model's conformed grid, and the volumes they give.
 */
public record TissueSegmentation(Volume labels, double greyMl, double whiteMl, double csfMl, double ventriclesMl,
        ModelInfo model, Duration elapsed, Duration inference) {

    public double parenchymaMl() {
        return greyMl + whiteMl;
    }

    /** Brain parenchymal fraction: parenchyma over the intracranial envelope (parenchyma + CSF). */
    public double brainParenchymalFraction() {
        return parenchymaMl() / (parenchymaMl() + csfMl);
    }

    /** Percent brain volume change from {@code prior} to this (follow-up) segmentation. */
    public double percentChangeFrom(TissueSegmentation prior) {
        return 100.0 * (parenchymaMl() - prior.parenchymaMl()) / prior.parenchymaMl();
    }
}
