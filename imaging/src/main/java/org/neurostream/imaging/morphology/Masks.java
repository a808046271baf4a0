package org.neurostream.imaging.morphology;

import org.neurostream.imaging.Volume;

/** Binary masks as {@code boolean[]} on a volume's grid, and the few measures every analysis needs from them. */
public final class Masks {
    private Masks() {
    }

    /** Voxels of {@code volume} equal to {@code label}. */
    public static boolean[] of(Volume volume, float label) {
        float[] data = volume.data();
        boolean[] mask = new boolean[data.length];
        for (int n = 0; n < data.length; n++) {
            mask[n] = data[n] == label;
        }
        return mask;
    }

    public static long count(boolean[] mask) {
        long count = 0;
        for (boolean b : mask) {
            count += b ? 1 : 0;
        }
        return count;
    }

    /** Millilitres of one voxel of {@code grid}. */
    public static double voxelMl(Volume grid) {
        double[] s = grid.spacing();
        return s[0] * s[1] * s[2] / 1000.0;
    }

    /** Volume in millilitres of the voxels of {@code volume} equal to {@code label}. */
    public static double volumeMl(Volume volume, float label) {
        return count(of(volume, label)) * voxelMl(volume);
    }

    public static boolean[] or(boolean[] a, boolean[] b) {
        boolean[] out = new boolean[a.length];
        for (int n = 0; n < a.length; n++) {
            out[n] = a[n] || b[n];
        }
        return out;
    }

    /** Sørensen–Dice overlap; 1 when both are empty. */
    public static double dice(boolean[] a, boolean[] b) {
        long both = 0;
        long sum = 0;
        for (int n = 0; n < a.length; n++) {
            both += a[n] && b[n] ? 1 : 0;
            sum += (a[n] ? 1 : 0) + (b[n] ? 1 : 0);
        }
        return sum == 0 ? 1.0 : 2.0 * both / sum;
    }

    /** Dice of one label value between two label volumes on one grid (a segmentation against its truth). */
    public static double dice(Volume a, Volume b, int label) {
        return dice(of(a, label), of(b, label));
    }

    /**
     * Morphological closing with a ball of {@code radiusMm} (anisotropic spacing respected), through two exact
     * distance transforms instead of a structuring element: O(voxels) whatever the radius.
     */
    public static boolean[] close(boolean[] mask, Volume grid, double radiusMm) {
        double r2 = radiusMm * radiusMm;
        float[] toMask = DistanceTransform.squaredMm(mask, grid);
        boolean[] outside = new boolean[mask.length];
        for (int n = 0; n < mask.length; n++) {
            outside[n] = toMask[n] > r2; // not in the dilation
        }
        float[] toOutside = DistanceTransform.squaredMm(outside, grid);
        boolean[] closed = new boolean[mask.length];
        for (int n = 0; n < mask.length; n++) {
            closed[n] = toOutside[n] > r2; // in the erosion of the dilation
        }
        return closed;
    }

    /** The background components of {@code mask} that do not touch the grid's faces: its enclosed cavities. */
    public static boolean[] holes(boolean[] mask, Volume grid) {
        boolean[] background = new boolean[mask.length];
        for (int n = 0; n < mask.length; n++) {
            background[n] = !mask[n];
        }
        ConnectedComponents components = ConnectedComponents.label(background, grid.nx(), grid.ny(), grid.nz());
        boolean[] touches = new boolean[components.count() + 1];
        int nx = grid.nx();
        int ny = grid.ny();
        int nz = grid.nz();
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    if (i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1) {
                        touches[components.labels()[grid.index(i, j, k)]] = true;
                    }
                }
            }
        }
        boolean[] holes = new boolean[mask.length];
        int[] labels = components.labels();
        for (int n = 0; n < mask.length; n++) {
            holes[n] = labels[n] > 0 && !touches[labels[n]];
        }
        return holes;
    }
}
