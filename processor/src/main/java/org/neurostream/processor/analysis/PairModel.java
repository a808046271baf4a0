package org.neurostream.processor.analysis;

import java.util.Map;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.ModelInfo;

/**
 * A model that compares two prepared visits of one brain and writes its findings into the result: the change
 * classifier (P(decline)), the tissue segmenter (volumes, PBVC), the new-lesion segmenter (lesions and their mask).
 * The processor runs the models configured for the pair's series kind, in order; each one is named in the result.
 */
public interface PairModel {
    /**
     * What a model is given: the prepared pair, the follow-up series as it is stored (for label maps that go back
     * onto the series' own frames, so a SEG can reference them) and the blob store such maps are written to.
     */
    record Inputs(PairPreparation.PreparedPair prepared, StoredGrid followUpAsStored, BlobStore blobs) {
    }

    /** Adds this model's findings to {@code result}, with the time spent per step added to {@code stageMillis}. */
    void analyse(Inputs inputs, Map<String, Long> stageMillis, AnalysisResult.Builder result) throws Exception;

    ModelInfo info();
}
