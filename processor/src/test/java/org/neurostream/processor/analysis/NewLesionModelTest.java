package org.neurostream.processor.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.imaging.MrSeriesMetadata;
import org.neurostream.imaging.MrSeriesWriter;
import org.neurostream.imaging.Uids;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.inference.lesions.NewLesionSegmenter;
import org.neurostream.phantom.ColinPhantomGenerator;
import org.neurostream.processor.pairing.PairingDecision;
import org.neurostream.processor.pairing.SeriesFixtures;
import org.neurostream.processor.pairing.SeriesKind;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.LabelMap;
import org.neurostream.schemas.NewLesions;
import org.neurostream.schemas.SeriesReceived;

/**
 * The shipped new-lesion segmenter (models/new-lesion-segmenter) on one real Colin27 phantom pair at 1 mm, the
 * demo's first subject: both FLAIR visits written as DICOM series into a blob store, then the processor's own
 * analysis of a FLAIR_3D pairing decision (assembly, preparation with registration, the lesion model). The count
 * must match the phantom's truth within one, and the mask, back on the follow-up's stored frames, must lie on the
 * true new lesions (the phantom's follow-up grid is the stored grid: Colin27's RAS order, written slice by slice).
 */
class NewLesionModelTest {
    static final Path SHIPPED = Path.of(System.getProperty("neurostream.repo", "..")).toAbsolutePath().normalize()
            .resolve("models").resolve("new-lesion-segmenter");
    private static final long DEMO_SEED = 20261123;

    @TempDir
    Path dir;

    @Test
    void theShippedModelFindsThePhantomsNewLesionsAndMasksThemOnTheStoredFrames() throws Exception {
        ColinPhantomGenerator.Pair pair = new ColinPhantomGenerator(DEMO_SEED).pair(1, true);
        FileBlobStore blobs = new FileBlobStore(dir.resolve("blobs"));
        SeriesReceived prior = store(blobs, pair.baseline().flair(), "2.25.7101", LocalDate.of(2025, 1, 9));
        SeriesReceived current = store(blobs, pair.followUp().flair(), "2.25.7102", LocalDate.of(2026, 1, 8));

        AnalysisResult result;
        try (NewLesionSegmenter segmenter = NewLesionSegmenter.load(SHIPPED)) {
            PairAnalyzer analyzer = new PairAnalyzer(blobs, new PairPreparation(Optional.empty(),
                    new RigidRegistration(RigidRegistration.Options.defaults().withLevels(4, 2)), 0.3),
                    Map.of(SeriesKind.Kind.FLAIR_3D, List.of(new NewLesionModel(segmenter))));
            result = analyzer.analyse("pk", new PairingDecision(current, SeriesKind.Kind.FLAIR_3D,
                    Optional.of(prior), 364, "test pairing", Optional.empty()));
        }

        assertThat(result.getStatus()).as(result.getReason()).isEqualTo(AnalysisStatus.ANALYSED);
        assertThat(result.getSeriesKind()).isEqualTo("FLAIR_3D");
        assertThat(result.getPDecline()).isNull();
        assertThat(result.getTissue()).isNull();
        assertThat(result.getStageMillis()).containsKeys(NewLesionModel.STAGE, NewLesionModel.MASK_STAGE);
        NewLesions found = result.getNewLesions();
        int truth = pair.truth().newLesions().size();
        System.out.printf("new lesions: %d found (%.3f mL), truth %d (%.3f mL); new-lesions stage %d ms%n",
                found.getCount(), found.getTotalVolumeMl(), truth, pair.truth().newLesionVolumeMl(),
                result.getStageMillis().get(NewLesionModel.STAGE));
        assertThat(truth).as("the chosen phantom has new lesions to find").isPositive();
        assertThat(found.getCount()).isBetween(truth - 1, truth + 1);
        assertThat(found.getLesions()).hasSize(found.getCount()).allSatisfy(l -> {
            assertThat(l.getLocation()).isIn("left hemisphere", "right hemisphere", "midline");
            assertThat(l.getMeanProbability()).isGreaterThanOrEqualTo(found.getThreshold());
        });

        LabelMap mask = found.getMask();
        byte[] blob = blobs.read(mask.getBlobRef());
        Volume stored = pair.followUp().flair();
        assertThat(mask.getColumns()).isEqualTo(stored.nx());
        assertThat(mask.getRows()).isEqualTo(stored.ny());
        assertThat(mask.getFrameSopInstanceUids()).hasSize(stored.nz());
        assertThat(blob).hasSize(mask.getColumns() * mask.getRows() * mask.getFrameSopInstanceUids().size());
        // Frame k is written slice k here (the normal of Colin27's RAS slices points along k).
        assertThat(mask.getFrameSopInstanceUids().get(0)).isEqualTo(current.getInstances().get(0).getSopInstanceUid());
        float[] truthMask = pair.newLesionMask().data();
        long masked = 0;
        long onTruth = 0;
        for (int n = 0; n < blob.length; n++) {
            if (blob[n] != 0) {
                masked++;
                if (truthMask[n] > 0) {
                    onTruth++;
                }
            }
        }
        System.out.printf("mask: %d voxels, %d of them on true new lesions%n", masked, onTruth);
        assertThat(masked).isPositive();
        assertThat((double) onTruth / masked).as("fraction of the mask on true new lesions").isGreaterThan(0.8);
    }

    @Test
    void theSideIsToldFromTheCentroidsXAgainstTheHeadsCentreInLps() {
        // LPS: x grows towards the patient's left.
        assertThat(NewLesionModel.side(12, 2)).isEqualTo("left hemisphere");
        assertThat(NewLesionModel.side(-9, 2)).isEqualTo("right hemisphere");
        assertThat(NewLesionModel.side(6, 2)).isEqualTo("midline");
        Volume head = Volume.zeros(20, 4, 4, new double[] {2, 1, 1}, new double[] {-10, 0, 0});
        for (int i = 12; i < 18; i++) {
            head.set(i, 1, 1, 100);
        }
        // Voxels 12..17 at x = -10 + 2i: centre x = 19 mm.
        assertThat(NewLesionModel.headCentreX(head)).isEqualTo(19.0);
    }

    /** The volume as a DICOM series in the blob store, and the event ingest would publish for it. */
    private SeriesReceived store(FileBlobStore blobs, Volume volume, String studyUid, LocalDate date)
            throws Exception {
        String seriesUid = studyUid + ".5";
        List<Path> files = MrSeriesWriter.write(volume, new MrSeriesMetadata("TEST^LESION", "LESION-1", "TEST", null,
                "O", studyUid, date, LocalTime.NOON, "", "FLAIR", seriesUid, 5, "FLAIR 3D", studyUid + ".9"),
                dir.resolve("dicom").resolve(studyUid));
        List<InstanceRef> instances = new ArrayList<>();
        for (int k = 0; k < files.size(); k++) {
            instances.add(InstanceRef.newBuilder().setSopInstanceUid(Uids.instanceOf(seriesUid, k))
                    .setSopClassUid("1.2.840.10008.5.1.4.1.1.4").setInstanceNumber(k + 1)
                    .setBlobRef(blobs.putFile(files.get(k))).build());
        }
        return SeriesFixtures.t1(studyUid, date.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE))
                .setSeriesInstanceUid(seriesUid).setSeriesDescription("FLAIR 3D").setInstances(instances).build();
    }
}
