package org.neurostream.imaging;

import java.util.Arrays;

/**
 * Differential bias correction (after Lewis and Fox, "Correction of differential intensity inhomogeneity in
 * longitudinal MR images", NeuroImage 23, 2004): two registered scans of one head differ by a smooth
 * multiplicative field (coil shading, scanner drift) that has nothing to do with anatomy. The ratio of the two
 * images, smoothed far beyond the scale of any anatomical change, estimates that field; dividing it out makes the
 * follow-up's intensities comparable voxel by voxel with the baseline's, so a segmentation sees the same contrast
 * in both and what differs between its two answers is the anatomy.
 */
public final class DifferentialBias {
    /** Voxels dimmer than this share of the 99th percentile are air or bone: left out of the ratio. */
    static final double HEAD_THRESHOLD = 0.1;

    private DifferentialBias() {
    }

    /**
     * The smooth multiplicative field, on {@code reference}'s grid, that matches {@code image} (on the same grid) to
     * {@code reference}; 1 wherever the head does not reach.
     */
    public static Volume field(Volume reference, Volume image, double sigmaMm) {
        return field(reference, image, sigmaMm, null);
    }

    /**
     * As {@link #field(Volume, Volume, double)}, leaving out of the ratio the voxels in {@code exclude} (may be
     * null): where the anatomy itself may have changed between the scans. Atrophy darkens the follow-up all along
     * the brain's edge; a field estimated there takes part of that darkening for shading and cancels it.
     */
    public static Volume field(Volume reference, Volume image, double sigmaMm, boolean[] exclude) {
        if (reference.voxelCount() != image.voxelCount()) {
            throw new IllegalArgumentException("both volumes must share one grid");
        }
        float[] a = reference.data();
        float[] b = image.data();
        double ta = HEAD_THRESHOLD * percentile99(a);
        double tb = HEAD_THRESHOLD * percentile99(b);
        float[] maskedA = new float[a.length];
        float[] maskedB = new float[b.length];
        for (int n = 0; n < a.length; n++) {
            if (a[n] > ta && b[n] > tb && (exclude == null || !exclude[n])) {
                maskedA[n] = a[n];
                maskedB[n] = b[n];
            }
        }
        // Smoothing both masked images alike: their ratio is the locally weighted ratio inside the head.
        float[] num = GaussianFilter.smooth(reference.withData(maskedA), sigmaMm).data();
        float[] den = GaussianFilter.smooth(image.withData(maskedB), sigmaMm).data();
        float[] field = new float[b.length];
        for (int n = 0; n < b.length; n++) {
            field[n] = den[n] > 1e-6f * tb ? num[n] / den[n] : 1f;
        }
        return reference.withData(field);
    }

    /**
     * {@code image} times {@code field} (on the same grid); where the field is 0 (a field resampled from a grid that
     * does not reach that far) the image is left as it is.
     */
    public static Volume apply(Volume image, Volume field) {
        float[] b = image.data();
        float[] f = field.data();
        float[] out = new float[b.length];
        for (int n = 0; n < b.length; n++) {
            out[n] = f[n] > 0 ? b[n] * f[n] : b[n];
        }
        return image.withData(out);
    }

    private static double percentile99(float[] values) {
        int step = Math.max(1, values.length / 200_000); // a sample is plenty for a threshold
        float[] sample = new float[(values.length + step - 1) / step];
        for (int n = 0, m = 0; n < values.length; n += step, m++) {
            sample[m] = values[n];
        }
        Arrays.sort(sample);
        return sample[(int) (0.99 * (sample.length - 1))];
    }
}
