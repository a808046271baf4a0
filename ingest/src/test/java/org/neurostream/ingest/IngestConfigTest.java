package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigTest {
    @TempDir
    Path dir;

    @Test
    void fileValuesOverrideDefaultsAndEnvironmentOverridesFile() throws Exception {
        Path file = dir.resolve("ingest.properties");
        Files.writeString(file, """
                ingest.ae.title=NS_TEST
                ingest.port=4242
                ingest.quiet.period.ms=2000
                blobstore.root=/data/blobs
                patient.key.salt=file-salt
                """);
        IngestConfig config = IngestConfig.load(file, Map.of(
                "NEUROSTREAM_INGEST_PORT", "11113",
                "NEUROSTREAM_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));

        assertThat(config.aeTitle()).isEqualTo("NS_TEST");
        assertThat(config.port()).isEqualTo(11113);
        assertThat(config.quietPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.blobStoreDir()).isEqualTo(Path.of("/data/blobs"));
        assertThat(config.kafkaBootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.kafkaClientId()).isEqualTo("neurostream-ingest");
        assertThat(config.patientKeySalt()).isEqualTo("file-salt");
    }

    @Test
    void environmentAloneIsEnough() throws Exception {
        IngestConfig config = IngestConfig.load(null, Map.of("NEUROSTREAM_PATIENT_KEY_SALT", "env-salt"));

        assertThat(config.port()).isEqualTo(11112);
        assertThat(config.aeTitle()).isEqualTo("NEUROSTREAM");
        assertThat(config.patientKeySalt()).isEqualTo("env-salt");
    }

    @Test
    void refusesToRunWithoutASalt() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("patient.key.salt")
                .hasMessageContaining("NEUROSTREAM_PATIENT_KEY_SALT");
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("NEUROSTREAM_PATIENT_KEY_SALT", "s",
                "NEUROSTREAM_INGEST_PORT", "eleven")))
                .hasMessageContaining("ingest.port");
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("NEUROSTREAM_PATIENT_KEY_SALT", "s",
                "NEUROSTREAM_INGEST_AE_TITLE", "A_TITLE_LONGER_THAN_16")))
                .hasMessageContaining("ingest.ae.title");
    }

    @Test
    void toStringHidesTheSalt() throws Exception {
        IngestConfig config = IngestConfig.load(null, Map.of("NEUROSTREAM_PATIENT_KEY_SALT", "very-secret"));

        assertThat(config.toString()).doesNotContain("very-secret");
    }
}
