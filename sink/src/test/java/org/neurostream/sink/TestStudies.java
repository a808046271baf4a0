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
import org.neurostream.schemas.LabelMap;
import org.neurostream.schemas.Lesion;
import org.neurostream.schemas.NewLesions;
import org.neurostream.schemas.TissueChange;
import org.neurostream.schemas.TissueVolumes;
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

    static final int SIZE = 16;
    static final int SLICES = 6;

    /** A small FLAIR-like series (16x16, 6 slices, a bright blob) written by the project's own writer. */
    static StudyRef writeFlair(BlobStore blobs, String label, String studyDate) throws IOException {
        LocalDate date = LocalDate.parse(studyDate, DateTimeFormatter.BASIC_ISO_DATE);
        MrSeriesMetadata metadata = new MrSeriesMetadata(PATIENT_NAME, PATIENT_ID, "NS-TEST", LocalDate.of(1950, 1, 1),
                "F", Uids.fromName("test/study/" + label), date, LocalTime.of(10, 15), "ACC" + studyDate, "MR brain",
                Uids.fromName("test/series/" + label), 4, "FLAIR 3D", Uids.fromName("test/frame/" + label));
        float[] data = new float[SIZE * SIZE * SLICES];
        for (int k = 0; k < SLICES; k++) {
            for (int j = 0; j < SIZE; j++) {
                for (int i = 0; i < SIZE; i++) {
                    double r = Math.hypot(i - 7.5, j - 7.5);
                    data[(k * SIZE + j) * SIZE + i] = r < 7 ? (float) (300 + 20 * i + 5 * k) : 0f;
                }
            }
        }
        Volume volume = new Volume(SIZE, SIZE, SLICES, new double[] {1, 1, 1.5}, new double[] {-8, -8, 0},
                Volume.identity(), data);
        Path folder = Files.createTempDirectory("neurostream-test-flair");
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

    /**
     * A FLAIR pair result carrying two new lesions (a mask on the follow-up's grid) and tissue volumes with a
     * tissue label map: the sink's input contract once the lesion and tissue models run.
     */
    static AnalysisResult withLesionsAndTissue(BlobStore blobs, String resultId, StudyRef current, StudyRef prior)
            throws IOException {
        byte[] mask = new byte[SIZE * SIZE * SLICES];
        byte[] tissue = new byte[SIZE * SIZE * SLICES];
        for (int k = 0; k < SLICES; k++) {
            for (int j = 0; j < SIZE; j++) {
                for (int i = 0; i < SIZE; i++) {
                    int v = (k * SIZE + j) * SIZE + i;
                    double r = Math.hypot(i - 7.5, j - 7.5);
                    tissue[v] = (byte) (r < 3 ? 1 : r < 5 ? 3 : r < 7 ? 2 : 0);
                    if (k >= 2 && k <= 3 && i >= 4 && i <= 6 && j >= 4 && j <= 6) {
                        mask[v] = 1; // lesion 1: 3x3x2 voxels
                    }
                    if (k == 4 && i >= 10 && i <= 11 && j >= 9 && j <= 10) {
                        mask[v] = 1; // lesion 2: 2x2x1
                    }
                }
            }
        }
        List<String> frames = current.getInstances().stream().map(InstanceRef::getSopInstanceUid).toList();
        LabelMap lesionMask = LabelMap.newBuilder().setBlobRef(blobs.put(mask)).setColumns(SIZE).setRows(SIZE)
                .setFrameSopInstanceUids(frames).setLabels(java.util.Map.of("1", "new lesion")).build();
        LabelMap tissueLabels = LabelMap.newBuilder().setBlobRef(blobs.put(tissue)).setColumns(SIZE).setRows(SIZE)
                .setFrameSopInstanceUids(frames)
                .setLabels(java.util.Map.of("1", "CSF", "2", "grey matter", "3", "white matter")).build();
        NewLesions lesions = NewLesions.newBuilder().setCount(2).setTotalVolumeMl(0.033).setThreshold(0.5)
                .setMinLesionVolumeMl(0.003)
                .setLesions(List.of(
                        Lesion.newBuilder().setLabel(1).setVolumeMl(0.027).setCentroidMm(List.of(-3.0, -3.0, 3.75))
                                .setLocation("left periventricular white matter").setMeanProbability(0.91).build(),
                        Lesion.newBuilder().setLabel(2).setVolumeMl(0.006).setCentroidMm(List.of(2.5, 1.5, 6.0))
                                .setMeanProbability(0.74).build()))
                .setMask(lesionMask).build();
        TissueChange change = TissueChange.newBuilder()
                .setPrior(TissueVolumes.newBuilder().setGreyMatterMl(610.2).setWhiteMatterMl(480.5).setCsfMl(250.1)
                        .setBrainParenchymalFraction(0.8157).setVentriclesMl(24.0).build())
                .setCurrent(TissueVolumes.newBuilder().setGreyMatterMl(600.4).setWhiteMatterMl(476.0).setCsfMl(262.3)
                        .setBrainParenchymalFraction(0.8041).setVentriclesMl(27.1).build())
                .setPbvcPercent(-1.29).setVentricleChangePercent(12.9).setLabels(tissueLabels).build();
        return AnalysisResult.newBuilder(analysed(resultId, current, prior, 0.87))
                .setSeriesKind("FLAIR_3D")
                .setModels(List.of(
                        ModelInfo.newBuilder().setName("siamese-change").setVersion("1.0.0")
                                .setSha256("ab".repeat(32)).setDevice("cpu").build(),
                        ModelInfo.newBuilder().setName("new-lesion-segmenter").setVersion("0.3.1")
                                .setSha256("cd".repeat(32)).setDevice("cpu").build()))
                .setNewLesions(lesions).setTissue(change).build();
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
