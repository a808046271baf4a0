package org.neurostream.schemas.ids;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DerivedIdsTest {
    @Test
    void sameInputsSameIdAndPartBoundariesMatter() {
        assertThat(DerivedIds.of("pair", "1.2", "1.3")).isEqualTo(DerivedIds.of("pair", "1.2", "1.3")).hasSize(32)
                .matches("[0-9a-f]{32}");
        assertThat(DerivedIds.of("ab", "c")).isNotEqualTo(DerivedIds.of("a", "bc"));
        assertThat(DerivedIds.of("1.2", "1.3")).isNotEqualTo(DerivedIds.of("1.3", "1.2"));
    }
}
