package org.neurostream.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RocTest {
    @Test
    void perfectSeparationHasAreaOneAndReversedHasZero() {
        List<Roc.Case> cases = List.of(new Roc.Case(0.9, true), new Roc.Case(0.8, true), new Roc.Case(0.2, false));
        assertThat(Roc.of(cases).auc()).isEqualTo(1.0);
        List<Roc.Case> reversed = List.of(new Roc.Case(0.1, true), new Roc.Case(0.8, false));
        assertThat(Roc.of(reversed).auc()).isEqualTo(0.0);
    }

    @Test
    void areaIsTheChanceAPositiveOutscoresANegativeWithTiesCountingHalf() {
        // Pairs (positive, negative): (0.7 vs 0.5) win, (0.7 vs 0.7) tie, (0.4 vs 0.5) loss, (0.4 vs 0.7) loss.
        List<Roc.Case> cases = List.of(new Roc.Case(0.7, true), new Roc.Case(0.4, true), new Roc.Case(0.5, false),
                new Roc.Case(0.7, false));
        Roc roc = Roc.of(cases);
        assertThat(roc.auc()).isEqualTo(1.5 / 4);
        assertThat(roc.points().get(0)).containsExactly(0, 0);
        assertThat(roc.points().get(roc.points().size() - 1)).containsExactly(1, 1);
    }

    @Test
    void oneClassOnlyIsRefused() {
        assertThatThrownBy(() -> Roc.of(List.of(new Roc.Case(0.3, true)))).hasMessageContaining("positives");
    }
}
