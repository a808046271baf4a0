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
    void kafkaClientSettingsComeFromTheFileAndNeverPrintTheirValues() throws Exception {
        Path file = dir.resolve("ingest.properties");
        Files.writeString(file, """
                patient.key.salt=s
                ingest.kafka.security.protocol=SASL_SSL
                ingest.kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \
                  username="ingest" password="secret-pw";
                """);
        IngestConfig config = IngestConfig.load(file, Map.of());

        assertThat(config.kafkaClientSettings()).containsEntry("security.protocol", "SASL_SSL")
                .containsKey("sasl.jaas.config");
        assertThat(config.toString()).contains("security.protocol").doesNotContain("secret-pw");
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

    @Test
    void everyDoorIsOffOrOpenByDefaultAsBeforeTheDoorsExisted() throws Exception {
        IngestConfig config = IngestConfig.load(null, Map.of("NEUROSTREAM_PATIENT_KEY_SALT", "s"));

        assertThat(config.callingAes().allowedAes()).isEmpty();
        assertThat(config.callingAes().refusal("ANYONE", null)).isNull();
        assertThat(config.stow().enabled()).isFalse();
        assertThat(config.stow().maxBodyBytes()).isEqualTo(1L << 30);
        assertThat(config.changeFeed().enabled()).isFalse();
        assertThat(config.changeFeed().stateFile())
                .isEqualTo(Path.of("neurostream-blobs/state/orthanc-changes.properties"));
    }

    @Test
    void doorKeysComeFromTheFileAndTheEnvironment() throws Exception {
        Path file = dir.resolve("ingest.properties");
        Files.writeString(file, """
                ingest.cstore.allowed-aes=MRI_3T, PACS-MAIN ,,
                ingest.cstore.ae.MRI_3T.hosts=10.0.0.5,10.0.0.6
                ingest.cstore.ae.PACS-MAIN.quiet-period-ms=30000
                ingest.stow.port=8080
                ingest.stow.max-body-mb=64
                ingest.orthanc-changes.url=http://pacs:8042/
                ingest.orthanc-changes.username=neurostream
                """);
        IngestConfig config = IngestConfig.load(file, Map.of("NEUROSTREAM_PATIENT_KEY_SALT", "s",
                "NEUROSTREAM_INGEST_STOW_BEARER_TOKEN", "tok-123",
                "NEUROSTREAM_INGEST_ORTHANC_CHANGES_PASSWORD", "pw-456",
                "NEUROSTREAM_INGEST_CSTORE_AE_MRI_3T_QUIET_PERIOD_MS", "5000"));

        CallingAePolicy aes = config.callingAes();
        assertThat(aes.allowedAes()).containsExactlyInAnyOrder("MRI_3T", "PACS-MAIN");
        assertThat(aes.options().get("MRI_3T").hosts()).containsExactlyInAnyOrder("10.0.0.5", "10.0.0.6");
        assertThat(aes.quietPeriodFor("MRI_3T")).isEqualTo(Duration.ofSeconds(5));
        assertThat(aes.quietPeriodFor("PACS-MAIN")).isEqualTo(Duration.ofSeconds(30));
        assertThat(aes.quietPeriodFor("OTHER")).isNull();
        assertThat(aes.refusal("OTHER", null)).contains("not in ingest.cstore.allowed-aes");
        assertThat(aes.refusal("MRI_3T", java.net.InetAddress.getByName("10.0.0.6"))).isNull();
        assertThat(aes.refusal("MRI_3T", java.net.InetAddress.getByName("10.0.0.7"))).contains("may not call from");
        assertThat(aes.refusal("PACS-MAIN", java.net.InetAddress.getByName("10.9.9.9"))).isNull();
        assertThat(config.stow()).isEqualTo(new IngestConfig.StowOptions(8080, "tok-123", 64L << 20));
        assertThat(config.changeFeed().url()).isEqualTo("http://pacs:8042");
        assertThat(config.changeFeed().username()).isEqualTo("neurostream");
        assertThat(config.toString()).doesNotContain("tok-123").doesNotContain("pw-456");
    }

    @Test
    void rejectsABadStowPort() {
        assertThatThrownBy(() -> IngestConfig.load(null, Map.of("NEUROSTREAM_PATIENT_KEY_SALT", "s",
                "NEUROSTREAM_INGEST_STOW_PORT", "-5")))
                .hasMessageContaining("ingest.stow.port");
    }
}
