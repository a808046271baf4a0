package org.neurostream.processor.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.neurostream.imaging.Volume;
import org.neurostream.inference.ModelInfo;
import org.neurostream.inference.TissueSegmentation;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.StudyRef;
import org.neurostream.schemas.TissueChange;

class TissueChangeModelTest {
    private static TissueSegmentation visit(double grey, double white, double csf, double ventricles) {
        return new TissueSegmentation(Volume.zeros(1, 1, 1, new double[] {1, 1, 1}, new double[] {0, 0, 0}), grey,
                white, csf, ventricles, new ModelInfo("tissue", "1", "abc", "cpu"), Duration.ZERO, Duration.ZERO);
    }

    @Test
    void volumesAndBpfArePerVisitAndPbvcIsTheBoundaryShiftFigure() {
        TissueChange change = TissueChangeModel.change(visit(800, 700, 300, 20), visit(790, 695, 315, 22), -0.8);
        assertThat(change.getPbvcPercent()).isEqualTo(-0.8);
        assertThat(change.getVentricleChangePercent()).isCloseTo(10.0, offset(1e-9));
        assertThat(change.getPrior().getBrainParenchymalFraction()).isCloseTo(1500.0 / 1800, offset(1e-9));
        assertThat(change.getCurrent().getGreyMatterMl()).isEqualTo(790);
    }

    @Test
    void noVentriclesInThePriorMeansNoVentricleChange() {
        assertThat(TissueChangeModel.change(visit(800, 700, 300, 0), visit(800, 700, 300, 5), 0)
                .getVentricleChangePercent()).isNull();
    }

    @Test
    void theSummaryLineNamesEveryFindingPresent() {
        AnalysisResult.Builder result = AnalysisResult.newBuilder().setResultId("r").setPatientKey("pk")
                .setStatus(AnalysisStatus.ANALYSED).setCreatedAtMillis(0)
                .setCurrent(StudyRef.newBuilder().setStudyInstanceUid("1.2").setSeriesInstanceUid("1.2.3")
                        .setInstances(java.util.List.of()).build());
        assertThat(Findings.summary(result.build())).isEqualTo("no findings");
        result.setPDecline(0.8125).setTissue(TissueChangeModel.change(visit(800, 700, 300, 20),
                visit(790, 695, 315, 22), -1.0));
        assertThat(Findings.summary(result.build())).isEqualTo("P(decline) 0.813, PBVC -1.00% (BPF 0.833 -> 0.825)");
    }
}
