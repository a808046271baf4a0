package org.neurostream.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class PbvcCalibrationTest {
    /** An integral that reads 80% of every change and 0.1 points towards growth: the line undoes exactly that. */
    @Test
    void theLineUndoesAScaleAndAnOffset() {
        double[] truth = {-0.2, -1.5, 0.0, -2.4};
        double[] measured = new double[truth.length];
        for (int i = 0; i < truth.length; i++) {
            measured[i] = 0.8 * truth[i] + 0.1;
        }
        PbvcCalibration.Fit fit = PbvcCalibration.Fit.of(measured, truth);

        assertThat(fit.slope()).isCloseTo(1.25, offset(1e-9));
        assertThat(fit.offset()).isCloseTo(-0.125, offset(1e-9));
        // |0.8 t + 0.1 - t| = |0.1 - 0.2 t|: 0.14, 0.4, 0.1, 0.58
        assertThat(fit.meanAbsoluteError()).isCloseTo(0.305, offset(1e-9));
    }

    @Test
    void pairsThatAllReadAlikeCannotGiveALine() {
        assertThatThrownBy(() -> PbvcCalibration.Fit.of(new double[] {-1, -1, -1}, new double[] {-0.5, -1, -2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no slope");
    }
}
