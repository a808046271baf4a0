package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PatientKeyDeriverTest {
    private final PatientKeyDeriver keys = new PatientKeyDeriver("site-salt");

    @Test
    void sameInputGivesSameKeyWithoutRevealingTheId() {
        String key = keys.derive("HOSPITAL-A", "12345");

        assertThat(key).isEqualTo(keys.derive("HOSPITAL-A", "12345"))
                .matches("pk-[0-9a-f]{32}")
                .doesNotContain("12345");
    }

    @Test
    void issuerAndSaltBothMatter() {
        String key = keys.derive("HOSPITAL-A", "12345");

        assertThat(keys.derive("HOSPITAL-B", "12345")).isNotEqualTo(key);
        assertThat(keys.derive(null, "12345")).isNotEqualTo(key);
        assertThat(new PatientKeyDeriver("other-salt").derive("HOSPITAL-A", "12345")).isNotEqualTo(key);
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        assertThat(keys.derive("A", "BC")).isNotEqualTo(keys.derive("AB", "C"));
    }

    @Test
    void dicomSpacePaddingIsIgnored() {
        assertThat(keys.derive("HOSPITAL-A ", "12345 ")).isEqualTo(keys.derive("HOSPITAL-A", "12345"));
        assertThat(keys.derive("", "12345")).isEqualTo(keys.derive(null, "12345"));
    }

    @Test
    void emptyPatientIdIsRefused() {
        assertThatThrownBy(() -> keys.derive("X", " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
