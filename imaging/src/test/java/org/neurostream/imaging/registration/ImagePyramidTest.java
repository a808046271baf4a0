package org.neurostream.imaging.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurostream.imaging.Volume;

class ImagePyramidTest {
    @Test
    void smoothingKeepsAConstantImageConstantUpToTheEdges() {
        Volume v = Volume.zeros(12, 10, 8, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        Arrays.fill(v.data(), 7f);
        Volume s = ImagePyramid.smooth(v, new double[] {1.5, 1.5, 1.5});
        for (float value : s.data()) {
            assertThat(value).isCloseTo(7f, within(1e-4f));
        }
    }

    @Test
    void smoothingAnImpulseGivesTheRequestedSpreadOnEachAxis() {
        Volume v = Volume.zeros(41, 41, 41, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        v.set(20, 20, 20, 1f);
        double[] sigma = {1.0, 2.0, 3.0};
        Volume s = ImagePyramid.smooth(v, sigma);
        double[] variance = new double[3];
        double total = 0;
        for (int k = 0; k < 41; k++) {
            for (int j = 0; j < 41; j++) {
                for (int i = 0; i < 41; i++) {
                    double w = s.get(i, j, k);
                    total += w;
                    variance[0] += w * (i - 20) * (i - 20);
                    variance[1] += w * (j - 20) * (j - 20);
                    variance[2] += w * (k - 20) * (k - 20);
                }
            }
        }
        assertThat(total).isCloseTo(1, within(1e-5));
        for (int a = 0; a < 3; a++) {
            // The kernel is cut at 3 sigma, which trims the variance by about 3%.
            assertThat(Math.sqrt(variance[a] / total)).isCloseTo(sigma[a], within(0.05 * sigma[a]));
        }
    }

    @Test
    void levelsKeepTheCentreAndThickSlices() {
        Volume v = Volume.zeros(64, 64, 20, new double[] {1, 1, 5}, new double[] {-30, 10, 4});
        List<Volume> levels = ImagePyramid.build(v, new double[] {4, 2, 1});
        assertThat(levels.get(0).spacing()).containsExactly(4, 4, 5);
        assertThat(levels.get(1).spacing()).containsExactly(2, 2, 5);
        assertThat(levels.get(2)).isSameAs(v);
        assertThat(new int[] {levels.get(0).nx(), levels.get(0).ny(), levels.get(0).nz()}).containsExactly(16, 16, 20);
        for (Volume level : levels) {
            assertThat(level.centre()).containsExactly(v.centre(), within(1e-9));
        }
    }
}
