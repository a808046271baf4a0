package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NiftiWriterTest {
    @Test
    void writtenVolumesReadBackWithTheirGeometry(@TempDir Path dir) throws Exception {
        double c = Math.cos(0.3);
        double s = Math.sin(0.3);
        float[] data = new float[4 * 3 * 2];
        for (int n = 0; n < data.length; n++) {
            data[n] = n * 1.5f;
        }
        Volume v = new Volume(4, 3, 2, new double[] {1.0, 1.5, 2.5}, new double[] {-10, 20, 30},
                new double[] {c, -s, 0, s, c, 0, 0, 0, 1}, data);
        NiftiWriter.writeFloat(v, dir.resolve("v.nii.gz"));
        Volume back = NiftiReader.read(dir.resolve("v.nii.gz"));
        assertThat(back.data()).containsExactly(data);
        for (int n = 0; n < 3; n++) {
            assertThat(back.spacing()[n]).isCloseTo(v.spacing()[n], within(1e-6));
            assertThat(back.origin()[n]).isCloseTo(v.origin()[n], within(1e-5));
        }
        for (int n = 0; n < 9; n++) {
            assertThat(back.direction()[n]).isCloseTo(v.direction()[n], within(1e-6));
        }
        NiftiWriter.writeLabels(v.withData(new float[] {0, 1, 2, 3, 300, -4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 7}), dir.resolve("l.nii.gz"));
        assertThat(NiftiReader.read(dir.resolve("l.nii.gz")).data()).startsWith(0, 1, 2, 3, 255, 0).endsWith(7);
    }
}
