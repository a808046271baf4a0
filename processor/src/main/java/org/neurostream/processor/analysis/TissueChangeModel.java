package org.neurostream.processor.analysis;

import java.util.Map;
import org.neurostream.inference.TissueSegmentation;
import org.neurostream.inference.TissueSegmenter;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.processor.preparation.Steps;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.TissueChange;
import org.neurostream.schemas.TissueVolumes;

/**
 * Tissue volumes of both visits and the change between them: each visit is segmented in its own space (the
 * model conforms it), so volumes do not depend on the registration. PBVC is the change of parenchyma (grey + white
 * matter) volume, follow-up against prior.
 */
public final class TissueChangeModel implements PairModel {
    private final TissueSegmenter segmenter;
    private final ModelInfo info;

    public TissueChangeModel(TissueSegmenter segmenter) {
        this.segmenter = segmenter;
        this.info = PairAnalyzer.toSchema(segmenter.info());
    }

    @Override
    public void analyse(PairPreparation.PreparedPair pair, Map<String, Long> stageMillis,
            AnalysisResult.Builder result) {
        TissueSegmentation prior = Steps.timed(stageMillis, "tissue-prior", () -> segmenter.segment(pair.baseline()));
        TissueSegmentation current = Steps.timed(stageMillis, "tissue-current",
                () -> segmenter.segment(pair.followUp()));
        result.setTissue(change(prior, current));
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
