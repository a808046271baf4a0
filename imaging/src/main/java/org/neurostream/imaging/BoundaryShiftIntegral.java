package org.neurostream.imaging;

import org.neurostream.imaging.morphology.DistanceTransform;
import org.neurostream.imaging.morphology.Masks;

/**
 * Brain volume change between two registered, intensity-matched scans by the boundary shift integral (Freeborough
 * and Fox, "The boundary shift integral: an accurate and robust measure of cerebral volume changes from registered
 * repeat MRI", IEEE TMI 16(5), 1997). Where the brain's edge moves, voxels change between brain and CSF intensity;
 * summing, over a band around the baseline brain's boundary, the drop of each voxel's intensity clipped to the
 * CSF..grey-matter window and dividing by the window's width counts the voxels the brain lost. Unlike subtracting
 * two segmentations' volumes, it does not depend on where a segmentation draws the edge in each scan, only on how
 * far the edge moved.
 */
public final class BoundaryShiftIntegral {
    private BoundaryShiftIntegral() {
    }

    /**
     * Millilitres of brain lost from {@code baseline} to {@code followUp} (negative: gained).
     *
     * @param followUp    on {@code baseline}'s grid, registered and intensity-matched to it
     * @param brain       the baseline brain (parenchyma) mask; its cavities (ventricles) are edges too
     * @param csf         typical CSF intensity of the baseline (lower end of the window)
     * @param tissue      typical grey matter intensity of the baseline (upper end of the window)
     * @param bandMm      half-width of the band around the brain's boundary that the integral covers
     */
    public static double lossMl(Volume baseline, Volume followUp, boolean[] brain, double csf, double tissue,
            double bandMm) {
        if (!(tissue > csf)) {
            throw new IllegalArgumentException("the intensity window needs tissue (" + tissue + ") above CSF ("
                    + csf + ")");
        }
        boolean[] outside = new boolean[brain.length];
        for (int n = 0; n < brain.length; n++) {
            outside[n] = !brain[n];
        }
        float[] toBrain = DistanceTransform.squaredMm(brain, baseline);
        float[] toOutside = DistanceTransform.squaredMm(outside, baseline);
        double band2 = bandMm * bandMm;
        float[] b = baseline.data();
        float[] f = followUp.data();
        double sum = 0;
        for (int n = 0; n < b.length; n++) {
            boolean inBand = brain[n] ? toOutside[n] <= band2 : toBrain[n] <= band2;
            if (inBand) {
                sum += clip(b[n], csf, tissue) - clip(f[n], csf, tissue);
            }
        }
        return sum / (tissue - csf) * Masks.voxelMl(baseline);
    }

    private static double clip(double v, double low, double high) {
        return Math.max(low, Math.min(high, v));
    }
}
