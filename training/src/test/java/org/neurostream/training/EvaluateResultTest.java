package org.neurostream.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvaluateResultTest {
    @Test
    void computesRatesWithDecliningAsPositive() {
        EvaluateCommand.Result result = new EvaluateCommand.Result(45, 40, 10, 5);
        assertThat(result.pairs()).isEqualTo(100);
        assertThat(result.accuracy()).isEqualTo(0.85);
        assertThat(result.sensitivity()).isEqualTo(0.9);
        assertThat(result.specificity()).isEqualTo(0.8);
    }
}
