package org.neurostream.inference;

import java.util.List;
import org.neurostream.imaging.IntensityNormalizer;
import org.neurostream.imaging.Reorienter;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.Volume;

/**
 * A volume prepared the way the brainchop MeshNet models expect (FreeSurfer-style conform): exactly reoriented to
 * LPS, resampled to a cube (256^3 at 1 mm) centred on the volume, intensities scaled to 0..1, and laid out as a
 * tensor whose axes run Left, Inferior, Anterior (LIA). Along an axis already at the cube's spacing the cube sits on
 * the volume's own voxels (within half a voxel of centred; {@link Resampler#resampleCentredOnVoxels}), so a 1 mm
 * scan reaches the model unblurred and results map back voxel for voxel.
 *
 * <p>Why LIA: the models were trained on FreeSurfer-conformed volumes. With a canonical LPS grid (i → Left,
 * j → Posterior, k → Superior) the tensor index is (d0, d1, d2) = (i, n-1-k, n-1-j). Other orders still give
 * plausible-looking masks, so tests check this with numbers, not by eye.
 *
 * @param grid the conformed, scaled volume in LPS voxel order (patient geometry for mapping results back)
 * @param tensor the same values in LIA order, d2 fastest ([1, n, n, n, 1] NDHWC)
 */
public record ConformedVolume(Volume grid, float[] tensor) {

    /** Conforms {@code volume} (any orientation) with the card's grid, spacing and intensity percentiles. */
    public static ConformedVolume of(Volume volume, ModelCard.Preprocessing preprocessing) {
        int[] dims = toInts(preprocessing.gridSize());
        if (dims[0] != dims[1] || dims[1] != dims[2]) {
            throw new IllegalArgumentException("the LIA layout needs a cubic grid, got " + preprocessing.gridSize());
        }
        double[] spacing = preprocessing.spacingMm().stream().mapToDouble(Double::doubleValue).toArray();
        Volume conformed = Resampler.resampleCentredOnVoxels(Reorienter.toCanonical(volume), dims, spacing);
        Volume scaled = scale(conformed, preprocessing.lowPercentile(), preprocessing.highPercentile());
        return new ConformedVolume(scaled, liaTensor(scaled));
    }

    /**
     * Channels-last tensor values ({@code classes} per voxel, LIA order) back into {@link #grid()}'s LPS voxel
     * order, still channels-last: {@code out[lpsIndex * classes + c]}.
     */
    public float[] fromTensorChannels(float[] values, int classes) {
        int n = grid.nx();
        if (values.length != (long) grid.voxelCount() * classes) {
            throw new IllegalArgumentException(values.length + " values for a " + n + "^3 grid of " + classes
                    + " classes");
        }
        float[] out = new float[values.length];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(values, liaIndex(n, i, j, k) * classes, out, grid.index(i, j, k) * classes,
                            classes);
                }
            }
        }
        return out;
    }

    /**
     * Values of {@code source} at the voxel centres of {@code target} (nearest neighbour through patient
     * coordinates; 0 outside {@code source}): how a result on the conformed grid returns to the input's grid.
     */
    public static Volume nearestOnto(Volume source, Volume target) {
        float[] out = new float[target.voxelCount()];
        int n = 0;
        for (int k = 0; k < target.nz(); k++) {
            for (int j = 0; j < target.ny(); j++) {
                for (int i = 0; i < target.nx(); i++, n++) {
                    double[] p = target.toPatient(i, j, k);
                    double[] v = source.toVoxel(p[0], p[1], p[2]);
                    long si = Math.round(v[0]);
                    long sj = Math.round(v[1]);
                    long sk = Math.round(v[2]);
                    if (si >= 0 && si < source.nx() && sj >= 0 && sj < source.ny() && sk >= 0 && sk < source.nz()) {
                        out[n] = source.get((int) si, (int) sj, (int) sk);
                    }
                }
            }
        }
        return target.withData(out);
    }

    /** Position in the LIA tensor of LPS voxel (i, j, k) of an n^3 grid: d0 = i, d1 = n-1-k, d2 = n-1-j. */
    static int liaIndex(int n, int i, int j, int k) {
        return (i * n + (n - 1 - k)) * n + (n - 1 - j);
    }

    /** The values of an n^3 LPS-ordered grid in LIA tensor order (how labels for training are laid out too). */
    public static float[] liaTensor(Volume grid) {
        int n = grid.nx();
        float[] tensor = new float[grid.voxelCount()];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    tensor[liaIndex(n, i, j, k)] = grid.get(i, j, k);
                }
            }
        }
        return tensor;
    }

    /** Min-max (percentiles 0 and 100) needs no sort; other percentiles go through the shared normaliser. */
    private static Volume scale(Volume volume, double low, double high) {
        if (low != 0 || high != 100) {
            return IntensityNormalizer.percentileScale(volume, low, high);
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : volume.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[volume.voxelCount()];
        if (max > min) {
            float range = max - min;
            float[] in = volume.data();
            for (int n = 0; n < in.length; n++) {
                out[n] = (in[n] - min) / range;
            }
        }
        return volume.withData(out);
    }

    private static int[] toInts(List<Integer> values) {
        if (values == null || values.size() != 3) {
            throw new IllegalArgumentException("the model card's gridSize needs 3 values, got " + values);
        }
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
