package org.neurostream.processor.analysis;

import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.schemas.ModelInfo;

/** A model that compares two visits of one brain: the processor's view of the change classifier. */
public interface ChangeModel {
    /** P(decline) for the prepared pair, with the time spent per step added to {@code stageMillis}. */
    Estimate estimate(PairPreparation.PreparedPair pair, java.util.Map<String, Long> stageMillis) throws Exception;

    ModelInfo info();

    record Estimate(double pDecline) {
    }
}
