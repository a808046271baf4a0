package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesAssemblerTest {
    /** Sagittal-like orientation: rows run posterior (+y), columns run inferior (-z); normal = row x col = -x. */
    private static final double[] SAGITTAL = {0, 1, 0, 0, 0, -1};
    private static final double[] AXIAL = {1, 0, 0, 0, 1, 0};

    /** A 3-row, 4-column slice at distance {@code along} on the normal of {@code orientation}. */
    private static DicomSlice slice(int instance, double[] orientation, double along, int rows, int columns,
            double[] pixelSpacing) {
        double[] normal = new DicomSlice("", "", "", "", "", 0, 1, 1, pixelSpacing, new double[3], orientation,
                1, new float[1]).normal();
        double[] origin = {10, -20, 30};
        double[] position = {origin[0] + along * normal[0], origin[1] + along * normal[1],
            origin[2] + along * normal[2]};
        float[] pixels = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                pixels[c + columns * r] = instance * 100 + r * 10 + c;
            }
        }
        return new DicomSlice("1.2.840.10008.5.1.4.1.1.4", "1.2." + instance, "1.2.3", "1.2.4", "1.2.5", instance,
                rows, columns, pixelSpacing, position, orientation, 2, pixels);
    }

    private static List<DicomSlice> stack(int count, double step) {
        List<DicomSlice> slices = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            slices.add(slice(n + 1, SAGITTAL, n * step, 3, 4, new double[] {0.8, 1.2}));
        }
        return slices;
    }

    @Test
    void ordersSlicesAlongTheNormalWhateverTheInputOrder() throws Exception {
        List<DicomSlice> slices = stack(6, 2.5);
        Collections.shuffle(slices, new Random(7));

        Volume volume = SeriesAssembler.assembleSlices(slices);

        assertThat(volume.nx()).isEqualTo(4);
        assertThat(volume.ny()).isEqualTo(3);
        assertThat(volume.nz()).isEqualTo(6);
        assertThat(volume.spacing()).containsExactly(new double[] {1.2, 0.8, 2.5}, within(1e-9));
        // Axes as columns: i = row direction (0,1,0), j = column direction (0,0,-1), k = normal (-1,0,0).
        assertThat(volume.direction()).containsExactly(new double[] {0, 0, -1, 1, 0, 0, 0, -1, 0}, within(1e-12));
        assertThat(volume.origin()).containsExactly(10, -20, 30);
        for (int k = 0; k < 6; k++) {
            // Voxel (i=column 3, j=row 2) of slice k holds instance*100 + row*10 + column.
            assertThat(volume.get(3, 2, k)).isEqualTo((k + 1) * 100 + 23);
        }
        assertThat(volume.toPatient(0, 0, 5)).containsExactly(new double[] {10 - 12.5, -20, 30}, within(1e-9));
    }

    @Test
    void originIsTheFirstSliceOnTheNormalEvenIfPositionsAreNegative() throws Exception {
        List<DicomSlice> slices = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            slices.add(slice(n + 1, AXIAL, 10 - 3.0 * n, 2, 2, new double[] {1, 1}));
        }
        Volume volume = SeriesAssembler.assembleSlices(slices);

        // Positions 10, 7, 4, 1 mm on +z: the slice at 1 mm comes first.
        assertThat(volume.origin()[2]).isCloseTo(30 + 1, within(1e-9));
        assertThat(volume.get(0, 0, 0)).isEqualTo(400);
        assertThat(volume.spacing()[2]).isCloseTo(3, within(1e-9));
    }

    @Test
    void rejectsFewerThanThreeSlices() {
        assertThatThrownBy(() -> SeriesAssembler.assembleSlices(stack(2, 2.5)))
                .isInstanceOf(VolumeAssemblyException.class)
                .hasMessageContaining("at least 3 slices, got 2");
    }

    @Test
    void rejectsMixedOrientation() {
        List<DicomSlice> slices = stack(4, 2.5);
        slices.set(2, slice(3, AXIAL, 5, 3, 4, new double[] {0.8, 1.2}));

        assertThatThrownBy(() -> SeriesAssembler.assembleSlices(slices))
                .isInstanceOf(VolumeAssemblyException.class)
                .hasMessageContaining("mixed orientation");
    }

    @Test
    void rejectsMixedRowsOrColumns() {
        List<DicomSlice> slices = stack(4, 2.5);
        slices.set(1, slice(2, SAGITTAL, 2.5, 3, 5, new double[] {0.8, 1.2}));

        assertThatThrownBy(() -> SeriesAssembler.assembleSlices(slices))
                .isInstanceOf(VolumeAssemblyException.class)
                .hasMessageContaining("mixed rows/columns").hasMessageContaining("3x5");
    }

    @Test
    void rejectsMixedPixelSpacing() {
        List<DicomSlice> slices = stack(4, 2.5);
        slices.set(1, slice(2, SAGITTAL, 2.5, 3, 4, new double[] {0.9, 1.2}));

        assertThatThrownBy(() -> SeriesAssembler.assembleSlices(slices))
                .isInstanceOf(VolumeAssemblyException.class)
                .hasMessageContaining("mixed pixel spacing");
    }

    @Test
    void rejectsNonUniformSpacing() {
        List<DicomSlice> slices = new ArrayList<>();
        double[] positions = {0, 2.5, 5.0, 8.0, 10.5};
        for (int n = 0; n < positions.length; n++) {
            slices.add(slice(n + 1, SAGITTAL, positions[n], 3, 4, new double[] {0.8, 1.2}));
        }

        assertThatThrownBy(() -> SeriesAssembler.assembleSlices(slices))
                .isInstanceOf(VolumeAssemblyException.class)
                .hasMessageContaining("non-uniform slice spacing").hasMessageContaining("2.500 to 3.000 mm");
    }

    @Test
    void rejectsMissingSlicesSayingHowManyAndWhere() {
        List<DicomSlice> slices = stack(10, 2.5);
        // Remove the slices at 10.0 and 12.5 mm: two missing between 7.5 and 15.0 mm.
        slices.remove(5);
        slices.remove(4);
        Collections.reverse(slices);

        assertThatThrownBy(() -> SeriesAssembler.assembleSlices(slices))
                .isInstanceOf(VolumeAssemblyException.class)
                .hasMessageContaining("missing slices")
                .hasMessageContaining("about 2 slice(s) missing")
                .hasMessageContaining("between");
    }

    @Test
    void detectsAGapEvenWithOnlyThreeSlices() {
        List<DicomSlice> slices = List.of(
                slice(1, AXIAL, 0, 2, 2, new double[] {1, 1}),
                slice(2, AXIAL, 2.5, 2, 2, new double[] {1, 1}),
                slice(3, AXIAL, 7.5, 2, 2, new double[] {1, 1}));

        assertThatThrownBy(() -> SeriesAssembler.assembleSlices(slices))
                .isInstanceOf(VolumeAssemblyException.class)
                .hasMessageContaining("about 1 slice(s) missing");
    }

    @Test
    void rejectsDuplicatePositions() {
        List<DicomSlice> slices = stack(5, 2.5);
        slices.add(slice(9, SAGITTAL, 5.0, 3, 4, new double[] {0.8, 1.2}));

        assertThatThrownBy(() -> SeriesAssembler.assembleSlices(slices))
                .isInstanceOf(VolumeAssemblyException.class)
                .hasMessageContaining("duplicate slice position");
    }

    @Test
    void rejectsSlicesShiftedInPlane() {
        List<DicomSlice> slices = stack(4, 2.5);
        DicomSlice moved = slices.get(2);
        double[] position = moved.imagePosition().clone();
        position[1] += 3; // along the row direction
        slices.set(2, new DicomSlice(moved.sopClassUid(), moved.sopInstanceUid(), moved.studyInstanceUid(),
                moved.seriesInstanceUid(), moved.frameOfReferenceUid(), moved.instanceNumber(), moved.rows(),
                moved.columns(), moved.pixelSpacing(), position, moved.imageOrientation(), moved.sliceThickness(),
                moved.pixels()));

        assertThatThrownBy(() -> SeriesAssembler.assembleSlices(slices))
                .isInstanceOf(VolumeAssemblyException.class)
                .hasMessageContaining("not stacked along their normal");
    }
}
