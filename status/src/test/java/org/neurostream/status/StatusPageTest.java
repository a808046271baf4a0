package org.neurostream.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.StudyRef;
import org.neurostream.schemas.TissueChange;
import org.neurostream.schemas.TissueVolumes;

class StatusPageTest {
    @Test
    void textFromEventsIsEscapedAndSenderFreeTextIsNotShown() {
        StatusView view = new StatusView(10);
        view.seriesReceived(SeriesReceived.newBuilder().setEventId("e").setPatientKey("pk-secret")
                .setStudyInstanceUid("2.25.1").setSeriesInstanceUid("2.25.2").setInstances(List.of())
                .setSeriesDescription("DOE^JANE head").setSource("c-store:<SCANNER>")
                .setFirstReceivedAtMillis(1).setCompletedAtMillis(2).build());
        view.analysisResult(result("r-1", "2.25.2", AnalysisStatus.REJECTED, "bad <script>alert(1)</script>"));
        String html = StatusPage.render(view.snapshot(), Instant.EPOCH);
        assertThat(html).contains("c-store:&lt;SCANNER&gt;", "bad &lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>").doesNotContain("DOE^JANE").doesNotContain("pk-secret");
    }

    @Test
    void showsPbvcWhenPresentAndKeepsOnlyTheNewestEntries() {
        StatusView view = new StatusView(2);
        for (int i = 1; i <= 3; i++) {
            AnalysisResult r = result("r-" + i, "2.25." + i, AnalysisStatus.ANALYSED, "paired");
            r.setPDecline(0.25 * i);
            TissueVolumes v = TissueVolumes.newBuilder().setGreyMatterMl(600).setWhiteMatterMl(500).setCsfMl(300)
                    .setBrainParenchymalFraction(0.78).build();
            r.setTissue(TissueChange.newBuilder().setPrior(v).setCurrent(v).setPbvcPercent(-1.234).build());
            view.analysisResult(r);
        }
        StatusView.Snapshot snapshot = view.snapshot();
        assertThat(snapshot.results()).extracting(StatusView.ResultRow::resultId).containsExactly("r-3", "r-2");
        String html = StatusPage.render(snapshot, Instant.EPOCH);
        assertThat(html).contains("-1.23 %", "0.750", "0.500").doesNotContain("r-1<");
    }

    private static AnalysisResult result(String id, String series, AnalysisStatus status, String reason) {
        return AnalysisResult.newBuilder().setResultId(id).setPatientKey("pk-secret").setStatus(status)
                .setReason(reason).setCurrent(StudyRef.newBuilder().setStudyInstanceUid("2.25.9")
                        .setSeriesInstanceUid(series).setInstances(List.of()).build())
                .setCreatedAtMillis(5).build();
    }
}
