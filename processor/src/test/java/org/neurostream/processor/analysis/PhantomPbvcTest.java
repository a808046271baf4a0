package org.neurostream.processor.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.inference.TissueSegmenter;
import org.neurostream.phantom.ColinPhantomGenerator;
import org.neurostream.processor.preparation.PairPreparation;
import org.slf4j.LoggerFactory;

/**
 * PBVC through the processor's own path (registration, differential bias field, brainchop's model11, boundary shift
 * integral) on a stable and a declining 1 mm Colin27 phantom pair of a seed neither the evaluation (3001) nor the
 * calibration check (4001) uses: each within issue 4's 0.3 points of the truth (measured 0.03 and 0.03; the earlier
 * Gaussian bias field read 0.15 and 0.19 here, so the field's own tests, not this one, guard that choice). On the 20
 * pairs of {@code calibrate-pbvc} the mean error is 0.13 and the worst 0.52: this holds the path end to end on two
 * pairs, not every pair to 0.3. About 95 s on 2 cores.
 */
class PhantomPbvcTest {
    private static final Path MODEL = Path.of(System.getProperty("neurostream.repo", ".."))
            .resolve("models").resolve("tissue-segmentation-model11");

    @Test
    void aStableAndADecliningPairReadWithinAThirdOfAPointOfTheTruth() throws Exception {
        ColinPhantomGenerator generator = new ColinPhantomGenerator(4002);
        PairPreparation preparation = new PairPreparation(Optional.empty(), new RigidRegistration(), 0.3);
        try (TissueSegmenter segmenter = TissueSegmenter.load(MODEL)) {
            TissueChangeModel model = new TissueChangeModel(segmenter);
            for (boolean declining : new boolean[] {false, true}) {
                ColinPhantomGenerator.Pair pair = generator.pair(declining ? 1 : 0, declining);
                double measured = model.measure(preparation.prepare(pair.baseline().t1(), pair.followUp().t1(),
                        new HashMap<>()), new HashMap<>()).pbvcPercent();
                double truth = pair.truth().pbvcPercent();
                LoggerFactory.getLogger(getClass()).info("{} pair: PBVC {} measured, {} true",
                        declining ? "declining" : "stable", measured, truth);
                assertThat(measured).as(declining ? "declining pair" : "stable pair").isCloseTo(truth, offset(0.3));
            }
        }
    }
}
