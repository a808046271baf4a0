package org.neurostream.processor.analysis;

import java.util.Map;
import org.neurostream.imaging.Volume;
import org.neurostream.inference.ChangeClassifier;
import org.neurostream.inference.ChangeClassifierPreprocessing;
import org.neurostream.inference.PreparedPair;
import org.neurostream.schemas.ModelInfo;

/** The served change classifier (DJL TensorFlow) as the processor's {@link ChangeModel}, timing each step. */
public final class ClassifierChangeModel implements ChangeModel {
    private final ChangeClassifier classifier;
    private final ModelInfo info;

    public ClassifierChangeModel(ChangeClassifier classifier) {
        this.classifier = classifier;
        var served = classifier.info();
        this.info = ModelInfo.newBuilder().setName(served.name()).setVersion(served.version())
                .setSha256(served.sha256()).setDevice(served.device()).build();
    }

    @Override
    public Estimate estimate(Volume baseline, Volume followUp, Map<String, Long> stageMillis) {
        ChangeClassifierPreprocessing prep = classifier.preprocessing();
        long t0 = System.nanoTime();
        PreparedPair pair = new PreparedPair(prep.prepareArray(baseline), prep.prepareArray(followUp));
        long t1 = System.nanoTime();
        // One predictor per call: Kafka Streams may run several threads, and DJL predictors are not thread-safe.
        double p = classifier.predictPrepared(pair).declineProbability();
        long t2 = System.nanoTime();
        stageMillis.put("resample-normalise", (t1 - t0) / 1_000_000);
        stageMillis.put("inference", (t2 - t1) / 1_000_000);
        return new Estimate(p);
    }

    @Override
    public ModelInfo info() {
        return info;
    }
}
