package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReorienterTest {
    /** A volume whose axes run R, S, A (a permuted and flipped acquisition): every voxel keeps its patient position. */
    @Test
    void permutesAndFlipsAxesKeepingEveryVoxelAtItsPatientPosition() {
        double[] rsa = {-1, 0, 0, 0, 0, -1, 0, 1, 0};
        Volume v = new Volume(4, 5, 6, new double[] {1, 2, 3}, new double[] {10, -20, 30}, rsa, values(120));
        Reorienter.AxisMapping m = Reorienter.mapping(v);
        assertThat(m.inputCode()).isEqualTo("RSA");
        Volume c = Reorienter.toCanonical(v);
        assertThat(c.direction()).containsExactly(Volume.identity());
        assertThat(new int[] {c.nx(), c.ny(), c.nz()}).containsExactly(4, 6, 5);
        assertThat(c.spacing()).containsExactly(1, 3, 2);
        for (int k = 0; k < v.nz(); k++) {
            for (int j = 0; j < v.ny(); j++) {
                for (int i = 0; i < v.nx(); i++) {
                    double[] p = v.toPatient(i, j, k);
                    double[] q = c.toVoxel(p[0], p[1], p[2]);
                    int ci = (int) Math.round(q[0]);
                    int cj = (int) Math.round(q[1]);
                    int ck = (int) Math.round(q[2]);
                    assertThat(q[0]).isCloseTo(ci, within(1e-9));
                    assertThat(c.get(ci, cj, ck)).isEqualTo(v.get(i, j, k));
                }
            }
        }
    }

    @Test
    void leavesACanonicalVolumeAlone() {
        Volume v = Volume.zeros(3, 3, 3, new double[] {1, 1, 1}, new double[] {0, 0, 0});
        assertThat(Reorienter.mapping(v).inputCode()).isEqualTo("LPS");
        assertThat(Reorienter.toCanonical(v)).isSameAs(v);
    }

    @Test
    void colin27IsStoredRasAndComesOutLps() {
        Volume head = Colin27.t1();
        assertThat(Reorienter.mapping(head).inputCode()).isEqualTo("RAS");
        Volume c = Reorienter.toCanonical(head);
        assertThat(c.direction()).containsExactly(Volume.identity());
        assertThat(c.centre()[0]).isCloseTo(head.centre()[0], within(1e-6));
    }

    private static float[] values(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = i;
        }
        return f;
    }
}
