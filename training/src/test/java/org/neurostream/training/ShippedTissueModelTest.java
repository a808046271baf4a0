package org.neurostream.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.morphology.Masks;
import org.neurostream.inference.ConformedVolume;
import org.neurostream.inference.TissueSegmenter;
import org.neurostream.phantom.ColinPhantomGenerator;
import org.slf4j.LoggerFactory;

/**
 * The phantom-tuned tissue model the repository ships still earns its place: on a phantom scan of a seed no tuning
 * run used, it agrees with the phantom's labels at Dice 0.85 or better (issue 4's bar) and better than the pretrained
 * model it started from, served exactly as the processor serves either (same preprocessing, same code).
 */
class ShippedTissueModelTest {
    private static final Path MODELS = Path.of(System.getProperty("neurostream.repo", "..")).resolve("models");

    @Test
    void tunedModelBeatsThePretrainedOneOnAHeldOutPhantom() throws Exception {
        ColinPhantomGenerator.Visit visit = new ColinPhantomGenerator(3002).pair(0, true).followUp();
        double tuned = meanDice(MODELS.resolve(TissueTuneCommand.NAME), visit);
        double pretrained = meanDice(MODELS.resolve("tissue-segmentation-model11"), visit);
        LoggerFactory.getLogger(getClass()).info("mean grey/white Dice vs phantom labels: tuned {}, pretrained {}",
                tuned, pretrained);
        assertThat(tuned).isGreaterThanOrEqualTo(0.85).isGreaterThan(pretrained);
    }

    private static double meanDice(Path model, ColinPhantomGenerator.Visit visit) throws Exception {
        try (TissueSegmenter segmenter = TissueSegmenter.load(model)) {
            Volume labels = ConformedVolume.nearestOnto(segmenter.segment(visit.t1()).labels(), visit.t1());
            return (Masks.dice(labels, visit.labels(), TissueSegmenter.GREY)
                    + Masks.dice(labels, visit.labels(), TissueSegmenter.WHITE)) / 2;
        }
    }
}
