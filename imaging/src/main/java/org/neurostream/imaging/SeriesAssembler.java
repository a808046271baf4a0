package org.neurostream.imaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Stacks the slices of one series into a {@link Volume}: i along the row direction, j along the column direction,
 * k along row x column, slices ordered by position on that normal whatever the file order.
 */
public final class SeriesAssembler {
    static final int MIN_SLICES = 3;
    /** A step this many times the typical spacing means slices are missing. */
    static final double GAP_FACTOR = 1.5;
    private static final double ORIENTATION_TOLERANCE = 1e-4;
    private static final double SPACING_TOLERANCE_MM = 1e-3;
    private static final double DUPLICATE_TOLERANCE_MM = 1e-3;
    /** Slice steps may differ by this fraction of the typical step (scanners round positions). */
    private static final double UNIFORMITY_TOLERANCE = 0.02;
    private static final double IN_PLANE_SHIFT_TOLERANCE_MM = 0.01;

    /** Reads every file and assembles them. */
    public static Volume assemble(List<Path> files) throws DicomReadException, VolumeAssemblyException {
        List<DicomSlice> slices = new ArrayList<>(files.size());
        for (Path file : files) {
            slices.add(DicomSliceReader.readSlice(file));
        }
        return assembleSlices(slices);
    }

    /** Assembles slices already read. */
    public static Volume assembleSlices(List<DicomSlice> unordered) throws VolumeAssemblyException {
        if (unordered.size() < MIN_SLICES) {
            throw new VolumeAssemblyException("a volume needs at least " + MIN_SLICES + " slices, got "
                    + unordered.size());
        }
        DicomSlice first = unordered.get(0);
        checkSameGrid(unordered, first);
        List<DicomSlice> slices = new ArrayList<>(unordered);
        slices.sort(Comparator.comparingDouble(DicomSlice::positionAlongNormal));
        checkStackedAlongNormal(slices);
        double spacing = checkSpacing(slices);
        return stack(slices, spacing);
    }

    private static void checkSameGrid(List<DicomSlice> slices, DicomSlice first) throws VolumeAssemblyException {
        for (DicomSlice slice : slices) {
            if (!close(slice.imageOrientation(), first.imageOrientation(), ORIENTATION_TOLERANCE)) {
                throw new VolumeAssemblyException("mixed orientation: instance " + slice.instanceNumber() + " has "
                        + Arrays.toString(slice.imageOrientation()) + ", instance " + first.instanceNumber()
                        + " has " + Arrays.toString(first.imageOrientation()));
            }
            if (slice.rows() != first.rows() || slice.columns() != first.columns()) {
                throw new VolumeAssemblyException("mixed rows/columns: instance " + slice.instanceNumber() + " is "
                        + slice.rows() + "x" + slice.columns() + ", instance " + first.instanceNumber() + " is "
                        + first.rows() + "x" + first.columns());
            }
            if (!close(slice.pixelSpacing(), first.pixelSpacing(), SPACING_TOLERANCE_MM)) {
                throw new VolumeAssemblyException("mixed pixel spacing: instance " + slice.instanceNumber()
                        + " has " + Arrays.toString(slice.pixelSpacing()) + " mm, instance "
                        + first.instanceNumber() + " has " + Arrays.toString(first.pixelSpacing()) + " mm");
            }
        }
    }

    /** Every slice must sit on the normal through the first one; otherwise the stack is sheared (gantry tilt). */
    private static void checkStackedAlongNormal(List<DicomSlice> slices) throws VolumeAssemblyException {
        DicomSlice first = slices.get(0);
        double[] row = first.rowDirection();
        double[] column = first.columnDirection();
        for (DicomSlice slice : slices) {
            double[] offset = minus(slice.imagePosition(), first.imagePosition());
            double shift = Math.hypot(dot(offset, row), dot(offset, column));
            if (shift > IN_PLANE_SHIFT_TOLERANCE_MM) {
                throw new VolumeAssemblyException(String.format(Locale.ROOT,
                        "slices are not stacked along their normal: instance %d is shifted %.3f mm in-plane "
                                + "(tilted or sheared acquisition)", slice.instanceNumber(), shift));
            }
        }
    }

    /** Returns the slice spacing after rejecting duplicates, gaps and irregular steps. */
    private static double checkSpacing(List<DicomSlice> slices) throws VolumeAssemblyException {
        int steps = slices.size() - 1;
        double[] positions = slices.stream().mapToDouble(DicomSlice::positionAlongNormal).toArray();
        double[] step = new double[steps];
        for (int s = 0; s < steps; s++) {
            step[s] = positions[s + 1] - positions[s];
            if (step[s] < DUPLICATE_TOLERANCE_MM) {
                throw new VolumeAssemblyException(String.format(Locale.ROOT,
                        "duplicate slice position %.3f mm (instances %d and %d)", positions[s],
                        slices.get(s).instanceNumber(), slices.get(s + 1).instanceNumber()));
            }
        }
        double typical = lowerMedian(step);
        List<String> gaps = new ArrayList<>();
        int missingTotal = 0;
        for (int s = 0; s < steps; s++) {
            if (step[s] > GAP_FACTOR * typical) {
                int missing = (int) Math.round(step[s] / typical) - 1;
                missing = Math.max(missing, 1);
                missingTotal += missing;
                gaps.add(String.format(Locale.ROOT, "%d between %.2f mm and %.2f mm (after sorted slice %d)",
                        missing, positions[s], positions[s + 1], s + 1));
            }
        }
        if (!gaps.isEmpty()) {
            throw new VolumeAssemblyException(String.format(Locale.ROOT,
                    "missing slices: about %d slice(s) missing at a typical spacing of %.3f mm: %s",
                    missingTotal, typical, String.join("; ", gaps)));
        }
        double min = Arrays.stream(step).min().orElseThrow();
        double max = Arrays.stream(step).max().orElseThrow();
        if (max - min > UNIFORMITY_TOLERANCE * typical) {
            throw new VolumeAssemblyException(String.format(Locale.ROOT,
                    "non-uniform slice spacing: steps range from %.3f to %.3f mm", min, max));
        }
        return (positions[steps] - positions[0]) / steps;
    }

    private static Volume stack(List<DicomSlice> slices, double sliceSpacing) {
        DicomSlice first = slices.get(0);
        int nx = first.columns();
        int ny = first.rows();
        int nz = slices.size();
        float[] data = new float[nx * ny * nz];
        for (int k = 0; k < nz; k++) {
            // A slice's pixels are stored row by row (column index fastest), exactly the volume's i-then-j order.
            System.arraycopy(slices.get(k).pixels(), 0, data, k * nx * ny, nx * ny);
        }
        double[] r = first.rowDirection();
        double[] c = first.columnDirection();
        double[] n = first.normal();
        double[] direction = {r[0], c[0], n[0], r[1], c[1], n[1], r[2], c[2], n[2]};
        // PixelSpacing is (between rows, between columns): i steps across columns, j across rows.
        double[] spacing = {first.pixelSpacing()[1], first.pixelSpacing()[0], sliceSpacing};
        return new Volume(nx, ny, nz, spacing, first.imagePosition(), direction, data);
    }

    private static boolean close(double[] a, double[] b, double tolerance) {
        if (a.length != b.length) {
            return false;
        }
        for (int n = 0; n < a.length; n++) {
            if (Math.abs(a[n] - b[n]) > tolerance) {
                return false;
            }
        }
        return true;
    }

    /** The lower median, so that with few slices one gap cannot drag the "typical" step up to itself. */
    private static double lowerMedian(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] minus(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private SeriesAssembler() {
    }
}
