package org.neurostream.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.imaging.MrSeriesMetadata;
import org.neurostream.imaging.MrSeriesWriter;
import org.neurostream.imaging.Uids;
import org.neurostream.imaging.Volume;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.StudyRef;

/** Tiny MR series stored in a blob store, and the AnalysisResults that point at them. */
final class TestStudies {
    static final String PATIENT_NAME = "Doe^Jane";
    static final String PATIENT_ID = "NS-TEST-0001";
    static final String MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";

    private TestStudies() {
    }

    /** A tiny MR series (4x4 pixels, {@code instances} slices) written by the project's own writer. */
    static StudyRef writeSeries(BlobStore blobs, String label, String studyDate, int instances) throws IOException {
        LocalDate date = LocalDate.parse(studyDate, DateTimeFormatter.BASIC_ISO_DATE);
        MrSeriesMetadata metadata = new MrSeriesMetadata(PATIENT_NAME, PATIENT_ID, "NS-TEST", LocalDate.of(1950, 1, 1),
                "F", Uids.fromName("test/study/" + label), date, LocalTime.of(10, 15), "ACC" + studyDate, "MR brain",
                Uids.fromName("test/series/" + label), 3, "T1 MPRAGE", Uids.fromName("test/frame/" + label));
        Volume volume = new Volume(4, 4, instances, new double[] {1, 1, 1}, new double[] {0, 0, 0},
                Volume.identity(), new float[16 * instances]);
        Path folder = Files.createTempDirectory("neurostream-test-series");
        List<InstanceRef> refs = new ArrayList<>();
        int number = 1;
        for (Path file : MrSeriesWriter.write(volume, metadata, folder)) {
            refs.add(InstanceRef.newBuilder().setSopInstanceUid(Uids.instanceOf(metadata.seriesUid(), number - 1))
                    .setSopClassUid(MR_IMAGE_STORAGE).setInstanceNumber(number++)
                    .setBlobRef(blobs.putFile(file)).build());
            Files.delete(file);
        }
        Files.delete(folder);
        return StudyRef.newBuilder().setStudyInstanceUid(metadata.studyUid())
                .setSeriesInstanceUid(metadata.seriesUid()).setStudyDate(studyDate).setInstances(refs).build();
    }

    static AnalysisResult analysed(String resultId, StudyRef current, StudyRef prior, double pDecline) {
        return AnalysisResult.newBuilder()
                .setResultId(resultId)
                .setPairId("pair-" + resultId)
                .setPatientKey("pk-0001")
                .setStatus(AnalysisStatus.ANALYSED)
                .setReason("same protocol T1 3D, most recent prior")
                .setCurrent(current)
                .setPrior(prior)
                .setIntervalDays(365)
                .setPDecline(pDecline)
                .setModels(List.of(ModelInfo.newBuilder().setName("siamese-change").setVersion("1.0.0")
                        .setSha256("ab".repeat(32)).setDevice("cpu").build()))
                .setCreatedAtMillis(1_790_000_000_000L)
                .build();
    }

    static AnalysisResult noPrior(String resultId, StudyRef current) {
        return AnalysisResult.newBuilder().setResultId(resultId).setPatientKey("pk-0001")
                .setStatus(AnalysisStatus.NO_PRIOR).setReason("no earlier study of this patient")
                .setCurrent(current).setCreatedAtMillis(1_790_000_000_000L).build();
    }
}
