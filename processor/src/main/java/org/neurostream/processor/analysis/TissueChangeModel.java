package org.neurostream.processor.analysis;

import java.util.Map;
import org.neurostream.imaging.DifferentialBias;
import org.neurostream.imaging.Volume;
import org.neurostream.inference.TissueSegmentation;
import org.neurostream.inference.TissueSegmenter;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.processor.preparation.Steps;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.TissueChange;
import org.neurostream.schemas.TissueVolumes;

/**
 * Tissue volumes of both visits and the change between them. Two independent segmentations would each carry their
 * own scan's shading, gain and head position, and those differences alone move a segmentation-based PBVC by more
 * than a year of atrophy (measured on the phantoms: +1.6% on a stable pair). So the follow-up is first brought onto
 * the baseline's grid through the registration and its intensities matched to the baseline's by differential bias
 * correction; then both are segmented. PBVC is the change of parenchyma (grey + white matter) volume.
 */
public final class TissueChangeModel implements PairModel {
    /** Far above the scale of a year's anatomical change (about 1 mm), close to that of coil shading. */
    static final double BIAS_SIGMA_MM = 15;

    private final TissueSegmenter segmenter;
    private final ModelInfo info;

    public TissueChangeModel(TissueSegmenter segmenter) {
        this.segmenter = segmenter;
        this.info = PairAnalyzer.toSchema(segmenter.info());
    }

    /** Both visits' segmentations, the follow-up's on the baseline's grid. */
    public record Measured(TissueSegmentation prior, TissueSegmentation current) {
    }

    @Override
    public void analyse(PairPreparation.PreparedPair pair, Map<String, Long> stageMillis,
            AnalysisResult.Builder result) {
        Measured measured = measure(pair, stageMillis);
        result.setTissue(change(measured.prior(), measured.current()));
    }

    public Measured measure(PairPreparation.PreparedPair pair, Map<String, Long> stageMillis) {
        Volume followUp = Steps.timed(stageMillis, "bias-match", () -> DifferentialBias.match(pair.baseline(),
                pair.followUpOnBaseline(), BIAS_SIGMA_MM));
        TissueSegmentation prior = Steps.timed(stageMillis, "tissue-prior", () -> segmenter.segment(pair.baseline()));
        TissueSegmentation current = Steps.timed(stageMillis, "tissue-current", () -> segmenter.segment(followUp));
        return new Measured(prior, current);
    }

    static TissueChange change(TissueSegmentation prior, TissueSegmentation current) {
        return TissueChange.newBuilder()
                .setPrior(volumes(prior))
                .setCurrent(volumes(current))
                .setPbvcPercent(current.percentChangeFrom(prior))
                .setVentricleChangePercent(prior.ventriclesMl() > 0
                        ? 100.0 * (current.ventriclesMl() - prior.ventriclesMl()) / prior.ventriclesMl() : null)
                .build();
    }

    private static TissueVolumes volumes(TissueSegmentation s) {
        return TissueVolumes.newBuilder()
                .setGreyMatterMl(s.greyMl())
                .setWhiteMatterMl(s.whiteMl())
                .setCsfMl(s.csfMl())
                .setBrainParenchymalFraction(s.brainParenchymalFraction())
                .setVentriclesMl(s.ventriclesMl())
                .build();
    }

    @Override
    public ModelInfo info() {
        return info;
    }
}
