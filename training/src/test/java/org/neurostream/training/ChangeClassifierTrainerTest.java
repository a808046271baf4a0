package org.neurostream.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurostream.inference.ChangeClassifierPreprocessing;

class ChangeClassifierTrainerTest {
    @Test
    void lossGoesDownOnAHandfulOfPhantomPairs() {
        ChangeClassifierPreprocessing preprocessing = ChangeClassifierPreprocessing.standard();
        List<LabelledPair> pairs = new PhantomPairSource(preprocessing, null).trainingSet(TrainCommand.DEFAULT_SEED, 2);
        assertThat(pairs).extracting(LabelledPair::declining).containsExactly(false, true, false, true);

        try (ChangeClassifierTrainer trainer = new ChangeClassifierTrainer(preprocessing.gridSize(), 5)) {
            List<Double> losses = trainer.train(pairs, 16, 4, (step, loss) -> { });
            double first = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
            double last = (losses.get(13) + losses.get(14) + losses.get(15)) / 3;
            assertThat(last).isLessThan(first * 0.8);
        }
    }
}
