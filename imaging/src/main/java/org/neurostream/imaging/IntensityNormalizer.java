package org.neurostream.imaging;

/** Intensity normalisation for model inputs. */
public final class IntensityNormalizer {
    /**
     * Maps the {@code lowPercentile}..{@code highPercentile} range (0..100) of the voxel values to 0..1 and clamps
     * outside it.
     */
    public static Volume percentileScale(Volume volume, double lowPercentile, double highPercentile) {
        throw new UnsupportedOperationException("TODO");
    }

    private IntensityNormalizer() {
    }
}
