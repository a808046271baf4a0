package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntensityNormalizerTest {
    /** Values 0, 1, ..., 100 in shuffled order, so percentile p is exactly the value p. */
    private static Volume hundredAndOne() {
        float[] values = new float[101];
        for (int n = 0; n < values.length; n++) {
            values[n] = (n * 37) % 101;
        }
        return new Volume(101, 1, 1, new double[] {1, 1, 1}, new double[] {4, 5, 6}, Volume.identity(), values);
    }

    @Test
    void mapsPercentileRangeToUnitIntervalAndClamps() {
        Volume volume = hundredAndOne();
        Volume scaled = IntensityNormalizer.percentileScale(volume, 10, 90);

        for (int n = 0; n < volume.voxelCount(); n++) {
            float original = volume.data()[n];
            double expected = Math.min(1, Math.max(0, (original - 10) / 80.0));
            assertThat((double) scaled.data()[n]).as("value %s", original).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void interpolatesBetweenOrderStatistics() {
        float[] values = {0, 10};
        Volume volume = new Volume(2, 1, 1, new double[] {1, 1, 1}, new double[] {0, 0, 0}, Volume.identity(),
                values);
        Volume scaled = IntensityNormalizer.percentileScale(volume, 25, 75);

        // Percentiles 25 and 75 of {0, 10} are 2.5 and 7.5: 0 and 10 clamp to the ends.
        assertThat(scaled.data()).containsExactly(0f, 1f);
        assertThat(IntensityNormalizer.percentile(new float[] {0, 10}, 25)).isEqualTo(2.5);
    }

    @Test
    void keepsGeometryAndLeavesInputUntouched() {
        Volume volume = hundredAndOne();
        float[] before = volume.data().clone();
        Volume scaled = IntensityNormalizer.percentileScale(volume, 1, 99);

        assertThat(scaled.origin()).containsExactly(4, 5, 6);
        assertThat(volume.data()).containsExactly(before);
    }

    @Test
    void constantVolumeMapsToZeros() {
        Volume volume = Volume.zeros(3, 3, 3, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        java.util.Arrays.fill(volume.data(), 7f);

        assertThat(IntensityNormalizer.percentileScale(volume, 1, 99).data()).containsOnly(0f);
    }

    @Test
    void rejectsInvertedPercentiles() {
        assertThatThrownBy(() -> IntensityNormalizer.percentileScale(hundredAndOne(), 90, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
