package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.imaging.Volume;
import org.neurostream.phantom.ColinPhantomGenerator;
import org.neurostream.phantom.ColinTruthWriter;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.NewLesions;
import org.neurostream.schemas.Preparation;
import org.neurostream.schemas.Registration;
import org.neurostream.schemas.StudyRef;
import org.neurostream.schemas.TissueChange;
import org.neurostream.schemas.TissueVolumes;
import org.neurostream.sink.DeliveryOutcome;

/**
 * The demo's line per follow-up study puts the T1 and FLAIR findings side by side with the phantom's truth, the
 * lesion truth read from the truth.json the cohort writer leaves beside each subject.
 */
class DemoLineTest {
    @TempDir
    Path dir;

    private static AnalysisResult analysed(String id, String series, double ncc) {
        return AnalysisResult.newBuilder().setResultId(id).setPatientKey("pk").setStatus(AnalysisStatus.ANALYSED)
                .setCreatedAtMillis(0).setIntervalDays(363)
                .setCurrent(StudyRef.newBuilder().setStudyInstanceUid("2.25.9").setSeriesInstanceUid(series)
                        .setInstances(List.of()).build())
                .setPreparation(Preparation.newBuilder().setPriorOrientation("RAS").setCurrentOrientation("RAS")
                        .setRegistration(Registration.newBuilder().setMetric("NCC").setSimilarityBefore(0.5)
                                .setSimilarityAfter(ncc).setRotationDegrees(List.of(0.0, 0.0, 0.0))
                                .setTranslationMm(List.of(0.0, 0.0, 0.0)).build()).build())
                .build();
    }

    private static TissueVolumes volumes(double bpf) {
        return TissueVolumes.newBuilder().setGreyMatterMl(1).setWhiteMatterMl(1).setCsfMl(1)
                .setBrainParenchymalFraction(bpf).build();
    }

    @Test
    void oneLineHoldsDeclinePbvcAndNewLesionsEachBesideItsTruth() throws Exception {
        // The truth folder written by the cohort's own writer, for a hand-made truth on tiny volumes.
        ColinPhantomGenerator.Truth truth = new ColinPhantomGenerator.Truth(true, -1.59, 1000, 984, 20, 22,
                List.of(new ColinPhantomGenerator.Lesion(new double[] {1, 2, 3}, 0.2),
                        new ColinPhantomGenerator.Lesion(new double[] {4, 5, 6}, 0.011)),
                new double[3], new double[3]);
        Volume tiny = Volume.zeros(2, 2, 2, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        ColinPhantomGenerator.Visit visit = new ColinPhantomGenerator.Visit(tiny, tiny, tiny, tiny);
        ColinTruthWriter.write(new ColinPhantomGenerator.Pair(1, visit, visit, tiny, truth),
                dir.resolve("subject01-truth"));

        PhantomCohort.Series t1 = new PhantomCohort.Series(1, PhantomCohort.Visit.FOLLOW_UP, "T1", "X^Y", "1",
                "2.25.9", "2.25.9.1", LocalDate.of(2026, 1, 8), true, -1.59, 10, dir, List.of());
        AnalysisResult t1Result = AnalysisResult.newBuilder(analysed("r-t1", "2.25.9.1", 0.991)).setPDecline(1.0)
                .setTissue(TissueChange.newBuilder().setPrior(volumes(0.931)).setCurrent(volumes(0.930))
                        .setPbvcPercent(-1.37).build()).build();
        AnalysisResult flairResult = AnalysisResult.newBuilder(analysed("r-flair", "2.25.9.5", 0.987))
                .setNewLesions(NewLesions.newBuilder().setCount(3).setTotalVolumeMl(0.2346).setThreshold(0.5)
                        .setMinLesionVolumeMl(0.01).build()).build();
        Map<String, DeliveryOutcome> deliveries = Map.of(
                "r-t1", new DeliveryOutcome("r-t1", DeliveryOutcome.Status.DELIVERED, "2.25.9", "2.25.9.1", "1.2",
                        Map.of("pacs", "http://pacs/t1"), null, null),
                "r-flair", new DeliveryOutcome("r-flair", DeliveryOutcome.Status.DELIVERED, "2.25.9", "2.25.9.5",
                        "1.3", Map.of("pacs", "http://pacs/flair"), null, null));

        String line = DemoCommand.followUpLine(t1, t1Result, Optional.of(flairResult),
                DemoCommand.LesionTruth.read(dir, 1), deliveries);

        assertThat(line).isEqualTo("subject 1 follow-up (study 2.25.9): prior 363 days earlier; registration NCC "
                + "T1 0.991, FLAIR 0.987; P(decline) 1.000 [truth: declining]; PBVC -1.37% (BPF 0.931 -> 0.930) "
                + "[truth -1.59%]; new lesions 3, 0.235 mL [truth 2, 0.211 mL]; SR T1 http://pacs/t1, FLAIR "
                + "http://pacs/flair");
        assertThat(DemoCommand.LesionTruth.read(dir, 2)).isEmpty();
    }
}
