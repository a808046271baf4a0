package org.neurostream.processor.analysis;

import org.neurostream.imaging.Volume;
import org.neurostream.schemas.ModelInfo;

/** A model that compares two visits of one brain: the processor's view of the change classifier. */
public interface ChangeModel {
    /** P(decline) for the pair, with the time spent per step (preparation, inference) added to {@code stageMillis}. */
    Estimate estimate(Volume baseline, Volume followUp, java.util.Map<String, Long> stageMillis) throws Exception;

    ModelInfo info();

    record Estimate(double pDecline) {
    }
}
