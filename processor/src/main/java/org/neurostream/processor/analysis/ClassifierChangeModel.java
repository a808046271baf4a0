package org.neurostream.processor.analysis;

import java.util.Map;
import org.neurostream.imaging.Volume;
import org.neurostream.inference.ChangeClassifier;
import org.neurostream.inference.ChangeClassifierPreprocessing;
import org.neurostream.inference.PreparedPair;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.processor.preparation.Steps;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.ModelInfo;

/**
 * The served change classifier (DJL TensorFlow) as a {@link PairModel}: resampling and normalisation as its model
 * card says, then inference, each timed; it sets P(decline).
 */
public final class ClassifierChangeModel implements PairModel {
    private final ChangeClassifier classifier;
    private final ModelInfo info;

    public ClassifierChangeModel(ChangeClassifier classifier) {
        this.classifier = classifier;
        this.info = PairAnalyzer.toSchema(classifier.info());
    }

    @Override
    public void analyse(Inputs inputs, Map<String, Long> stageMillis, AnalysisResult.Builder result) {
        result.setPDecline(pDecline(inputs.prepared(), stageMillis));
    }

    /** P(decline) for the prepared pair. */
    public double pDecline(PairPreparation.PreparedPair prepared, Map<String, Long> stageMillis) {
        ChangeClassifierPreprocessing prep = classifier.preprocessing();
        Volume[] resampled = Steps.timed(stageMillis, "resample", () -> prep.resampleRegistered(prepared.baseline(),
                prepared.followUp(), prepared.baselineToFollowUp()));
        PreparedPair pair = Steps.timed(stageMillis, "normalise", () -> new PreparedPair(
                prep.normalise(resampled[0]).data(), prep.normalise(resampled[1]).data()));
        // One predictor per call: Kafka Streams may run several threads, and DJL predictors are not thread-safe.
        return Steps.timed(stageMillis, "inference", () -> classifier.predictPrepared(pair).declineProbability());
    }

    @Override
    public ModelInfo info() {
        return info;
    }
}
