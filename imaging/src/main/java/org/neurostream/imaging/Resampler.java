package org.neurostream.imaging;

/** Resampling of volumes onto model grids. */
public final class Resampler {
    /**
     * Resamples {@code source} onto a grid of {@code dims} voxels of {@code spacing} mm, with the source's axis
     * directions, centred on the source's centre. Trilinear interpolation; points outside the source are 0.
     */
    public static Volume resampleCentred(Volume source, int[] dims, double[] spacing) {
        throw new UnsupportedOperationException("TODO");
    }

    private Resampler() {
    }
}
