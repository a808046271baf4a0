package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UidsAndDecimalStringsTest {
    @Test
    void nameBasedUidsAreDeterministicValidAndDistinct() {
        String uid = Uids.fromName("seed-1/subject-3/series");

        assertThat(uid).isEqualTo(Uids.fromName("seed-1/subject-3/series"));
        assertThat(uid).isNotEqualTo(Uids.fromName("seed-1/subject-4/series"));
        assertThat(uid).matches("2\\.25\\.[1-9][0-9]*").hasSizeLessThanOrEqualTo(64);
        assertThat(Uids.instanceOf(uid, 0)).isNotEqualTo(Uids.instanceOf(uid, 1));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, -127.00000000001, 0.0152587890625, 1e-20, -3.3e15, 123456.789012345})
    void decimalStringsFitSixteenCharactersAndKeepTheValue(double value) {
        String text = DecimalStrings.format(value);

        assertThat(text).hasSizeLessThanOrEqualTo(16).doesNotContain(" ");
        assertThat(Double.parseDouble(text)).isCloseTo(value, within(Math.abs(value) * 1e-9 + 1e-30));
    }

    @Test
    void decimalStringsRejectNonFiniteValues() {
        assertThatThrownBy(() -> DecimalStrings.format(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
