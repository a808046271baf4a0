package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NiftiReaderTest {
    /** A 2x3x4 int16 image, 2 mm voxels, with an sform that flips x (a "LAS" file): checks the RAS→LPS mapping. */
    @Test
    void readsVoxelsAndMapsTheSformToLps() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(352 + 24 * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 348);
        short[] dim = {3, 2, 3, 4, 1, 1, 1, 1};
        for (int n = 0; n < 8; n++) {
            b.putShort(40 + 2 * n, dim[n]);
        }
        b.putShort(70, (short) 4);
        b.putShort(72, (short) 16);
        b.putFloat(80, 2).putFloat(84, 2).putFloat(88, 2);
        b.putFloat(108, 352);
        b.putFloat(112, 0.5f).putFloat(116, 10);
        b.putShort(254, (short) 1);
        float[][] srow = {{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2, -72}};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                b.putFloat(280 + 16 * r + 4 * c, srow[r][c]);
            }
        }
        b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
        for (int n = 0; n < 24; n++) {
            b.putShort(352 + 2 * n, (short) n);
        }
        Volume v = NiftiReader.parse(b.array(), "test");
        assertThat(new int[] {v.nx(), v.ny(), v.nz()}).containsExactly(2, 3, 4);
        assertThat(v.spacing()).containsExactly(2, 2, 2);
        assertThat(v.get(1, 2, 3)).isEqualTo(23 * 0.5f + 10);
        // RAS (90, -126, -72) is LPS (-90, 126, -72); +i runs to RAS left = LPS +x.
        assertThat(v.toPatient(0, 0, 0)).containsExactly(-90, 126, -72);
        assertThat(v.toPatient(1, 0, 0)[0]).isCloseTo(-88, within(1e-9));
        assertThat(v.toPatient(0, 1, 0)[1]).isCloseTo(124, within(1e-9));
    }

    @Test
    void refusesWhatIsNotNifti() {
        assertThatThrownBy(() -> NiftiReader.parse(new byte[400], "junk"))
                .hasMessageContaining("not a NIfTI-1 file");
        assertThatThrownBy(() -> NiftiReader.parse(new byte[10], "short"))
                .hasMessageContaining("too short");
    }

    @Test
    void colin27IsAOneMillimetreHeadWithItsBrainInside() {
        Volume head = Colin27.t1();
        Volume brain = Colin27.brain();
        assertThat(new int[] {head.nx(), head.ny(), head.nz()}).containsExactly(181, 217, 181);
        assertThat(head.spacing()).containsExactly(1, 1, 1);
        long brainVoxels = 0;
        for (float x : brain.data()) {
            if (x > 0) {
                brainVoxels++;
            }
        }
        // An adult brain is 1.1-1.6 L; ch2bet keeps the brain (about 1.5 L with CSF in sulci).
        assertThat(brainVoxels / 1000.0).isBetween(1000.0, 1900.0);
        // Superior is +z in LPS: the brain's top slice lies above its centre.
        assertThat(head.toPatient(0, 0, head.nz() - 1)[2]).isGreaterThan(head.centre()[2]);
    }
}
