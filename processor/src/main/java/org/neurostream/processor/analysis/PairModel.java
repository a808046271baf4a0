package org.neurostream.processor.analysis;

import java.util.Map;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.ModelInfo;

/**
 * A model that compares two prepared visits of one brain and writes its findings into the result: the change
 * classifier (P(decline)), the tissue segmenter (volumes, PBVC). The processor runs the models configured for the
 * pair's series kind, in order; each one is named in the result.
 */
public interface PairModel {
    /** Adds this model's findings to {@code result}, with the time spent per step added to {@code stageMillis}. */
    void analyse(PairPreparation.PreparedPair pair, Map<String, Long> stageMillis, AnalysisResult.Builder result)
            throws Exception;

    ModelInfo info();
}
