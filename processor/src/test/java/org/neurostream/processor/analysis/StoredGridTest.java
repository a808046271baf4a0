package org.neurostream.processor.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.imaging.DicomSliceReader;
import org.neurostream.imaging.MrSeriesMetadata;
import org.neurostream.imaging.MrSeriesWriter;
import org.neurostream.imaging.Reorienter;
import org.neurostream.imaging.Uids;
import org.neurostream.imaging.Volume;
import org.neurostream.processor.pairing.SeriesFixtures;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.LabelMap;
import org.neurostream.schemas.SeriesReceived;

/**
 * A label map made on the canonical grid must come back onto the follow-up series' own frames, each frame named by
 * the instance it lies on. The series is a small sagittal stack written by the project's DICOM writer: rows run
 * towards Posterior, columns towards Inferior, and the slices were written left to right while their normal points
 * right, so the assembler stacks them in the reverse of the file order; the event lists its instances shuffled.
 * Every voxel of the written volume has its own value, so the reoriented volume is itself a label map whose every
 * byte says which stored voxel it must land on.
 */
class StoredGridTest {
    private static final int NX = 7;
    private static final int NY = 5;
    private static final int NZ = 4;
    private static final String SERIES = Uids.fromName("test/stored-grid/series");

    @TempDir
    Path dir;

    /** Value of written voxel (i, j, k): distinct, 1..140, so it survives DICOM's integers and a byte. */
    private static int value(int i, int j, int k) {
        return 1 + i + NX * (j + NY * k);
    }

    private static Volume sagittal() {
        // Axis i towards P, j towards I, k towards L (i x j points R: k runs against the slice normal).
        double[] direction = {0, 0, 1, 1, 0, 0, 0, -1, 0};
        Volume v = new Volume(NX, NY, NZ, new double[] {1.0, 1.5, 2.0}, new double[] {-3, -20, 40}, direction,
                new float[NX * NY * NZ]);
        for (int k = 0; k < NZ; k++) {
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    v.set(i, j, k, value(i, j, k));
                }
            }
        }
        return v;
    }

    private record Written(FileBlobStore blobs, SeriesReceived event, List<Path> files) {
    }

    private Written write() throws Exception {
        MrSeriesMetadata metadata = new MrSeriesMetadata("TEST^GRID", "GRID-1", "TEST", null, "O",
                Uids.fromName("test/stored-grid/study"), LocalDate.of(2025, 1, 7), LocalTime.NOON, "", "FLAIR",
                SERIES, 5, "FLAIR 3D", Uids.fromName("test/stored-grid/frame"));
        List<Path> files = MrSeriesWriter.write(sagittal(), metadata, dir.resolve("dicom"));
        FileBlobStore blobs = new FileBlobStore(dir.resolve("blobs"));
        List<InstanceRef> refs = new ArrayList<>();
        for (int k : new int[] {2, 0, 3, 1}) {
            refs.add(InstanceRef.newBuilder().setSopInstanceUid(Uids.instanceOf(SERIES, k))
                    .setSopClassUid("1.2.840.10008.5.1.4.1.1.4").setInstanceNumber(k + 1)
                    .setBlobRef(blobs.putFile(files.get(k))).build());
        }
        SeriesReceived event = SeriesFixtures.t1(metadata.studyUid(), "20250107").setSeriesInstanceUid(SERIES)
                .setInstances(refs).build();
        return new Written(blobs, event, files);
    }

    @Test
    void aLabelMapOnTheCanonicalGridLandsOnEachStoredFrameAndItsInstance() throws Exception {
        Written w = write();
        PairAnalyzer.Assembled assembled = PairAnalyzer.load(w.blobs(), w.event());
        // Stacked along the normal (towards R): the last written slice first.
        assertThat(assembled.grid().frameSopInstanceUids()).containsExactly(Uids.instanceOf(SERIES, 3),
                Uids.instanceOf(SERIES, 2), Uids.instanceOf(SERIES, 1), Uids.instanceOf(SERIES, 0));
        assertThat(Reorienter.mapping(assembled.volume()).isIdentity()).isFalse();
        Volume canonical = Reorienter.toCanonical(assembled.volume());

        LabelMap map = assembled.grid().labelMap(canonical, Map.of("1", "x"), w.blobs());
        byte[] blob = w.blobs().read(map.getBlobRef());
        assertThat(map.getColumns()).isEqualTo(NX);
        assertThat(map.getRows()).isEqualTo(NY);
        assertThat(blob).hasSize(NX * NY * NZ);
        for (int f = 0; f < NZ; f++) {
            int k = List.of(Uids.instanceOf(SERIES, 0), Uids.instanceOf(SERIES, 1), Uids.instanceOf(SERIES, 2),
                    Uids.instanceOf(SERIES, 3)).indexOf(map.getFrameSopInstanceUids().get(f));
            for (int r = 0; r < NY; r++) {
                for (int c = 0; c < NX; c++) {
                    assertThat(blob[(f * NY + r) * NX + c] & 0xff).as("frame %d row %d column %d", f, r, c)
                            .isEqualTo(value(c, r, k));
                }
            }
        }
    }

    @Test
    void oneLesionVoxelPaintedAtAPatientPointIsFoundInThatInstanceAtThatPixel() throws Exception {
        Written w = write();
        PairAnalyzer.Assembled assembled = PairAnalyzer.load(w.blobs(), w.event());
        Volume canonical = Reorienter.toCanonical(assembled.volume());
        // Written slice 1, column 2, row 3, found again by its patient coordinates only.
        double[] point = sagittal().toPatient(2, 3, 1);
        double[] at = canonical.toVoxel(point[0], point[1], point[2]);
        Volume mask = canonical.withData(new float[canonical.voxelCount()]);
        mask.set((int) Math.round(at[0]), (int) Math.round(at[1]), (int) Math.round(at[2]), 1);

        LabelMap map = assembled.grid().labelMap(mask, NewLesionModel.MASK_LABELS, w.blobs());
        byte[] blob = w.blobs().read(map.getBlobRef());
        int frame = map.getFrameSopInstanceUids().indexOf(Uids.instanceOf(SERIES, 1));
        for (int n = 0; n < blob.length; n++) {
            assertThat(blob[n]).as("byte %d", n).isEqualTo((byte) (n == (frame * NY + 3) * NX + 2 ? 1 : 0));
        }
        // That instance's own pixel (column 2, row 3) is the voxel that was painted.
        float[] pixels = DicomSliceReader.readSlice(w.files().get(1)).pixels();
        assertThat(pixels[2 + NX * 3]).isEqualTo(value(2, 3, 1));
        assertThat(map.getLabels()).containsEntry("1", "new lesion");
    }

    @Test
    void aGridThatIsNotAReorientationOfTheStoredOneIsRefused() throws Exception {
        Written w = write();
        PairAnalyzer.Assembled assembled = PairAnalyzer.load(w.blobs(), w.event());
        Volume canonical = Reorienter.toCanonical(assembled.volume());
        double[] o = canonical.origin();
        Volume shifted = new Volume(canonical.nx(), canonical.ny(), canonical.nz(), canonical.spacing(),
                new double[] {o[0] + 0.5, o[1], o[2]}, canonical.direction(), canonical.data());
        assertThatThrownBy(() -> assembled.grid().frames(shifted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a reorientation");
    }
}
