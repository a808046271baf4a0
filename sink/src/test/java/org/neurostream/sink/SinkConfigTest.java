package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkConfigTest {
    @TempDir
    Path tmp;

    @Test
    void fileValuesWithEnvironmentOverrides() throws Exception {
        Path file = Files.writeString(tmp.resolve("sink.properties"), """
                kafka.bootstrap.servers=kafka:9092
                blobstore.root=/data/blobs
                sink.folder.dir=/data/out
                sink.pacs.host=pacs.local
                sink.pacs.port=104
                sink.retry.attempts=5
                sink.kafka.security.protocol=SASL_SSL
                """);
        SinkConfig config = SinkConfig.load(file, Map.of(
                "NEUROSTREAM_SINK_PACS_HOST", "orthanc",
                "NEUROSTREAM_SINK_PACS_CALLED_AET", "PACS1"));

        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.pacsHost()).isEqualTo("orthanc");
        assertThat(config.pacsPort()).isEqualTo(104);
        assertThat(config.pacsCalledAet()).isEqualTo("PACS1");
        assertThat(config.pacsCallingAet()).isEqualTo("NEUROSTREAM");
        assertThat(config.folderEnabled()).isTrue();
        assertThat(config.folderDir()).isEqualTo(Path.of("/data/out"));
        assertThat(config.retry().attempts()).isEqualTo(5);
        assertThat(config.groupId()).isEqualTo("neurostream-sink");
        assertThat(config.kafkaClientSettings()).containsExactly(Map.entry("security.protocol", "SASL_SSL"));
        assertThat(config.declineThreshold()).isEqualTo(0.5);
        assertThat(SinkService.targets(config)).extracting(DeliveryTarget::name).containsExactly("folder", "pacs");
    }

    @Test
    void everyTargetIsEnabledAndAddressedByConfiguration() {
        Properties props = new Properties();
        props.put("kafka.bootstrap.servers", "k:9092");
        props.put("blobstore.root", "/b");
        props.put("sink.folder.dir", "/out");
        props.put("sink.stow.enabled", "true");
        props.put("sink.stow.url", "http://pacs:8042/dicom-web");
        props.put("sink.fhir.enabled", "true");
        props.put("sink.fhir.base-url", "http://ehr/fhir");
        props.put("sink.hl7.enabled", "true");
        props.put("sink.hl7.host", "ris");
        SinkConfig config = SinkConfig.from(props, Map.of("NEUROSTREAM_SINK_HL7_PORT", "6661"));
        assertThat(config.hl7().port()).isEqualTo(6661);
        assertThat(config.hl7().host()).isEqualTo("ris");
        assertThat(config.fhir().baseUrl()).isEqualTo("http://ehr/fhir");
        assertThat(config.segEnabled()).isTrue();
        assertThat(SinkService.targets(config)).extracting(DeliveryTarget::name)
                .containsExactly("folder", "pacs", "pacs-stow", "fhir", "hl7");
    }

    @Test
    void anEnabledTargetWithoutAnAddressNamesTheKey() {
        assertThatThrownBy(() -> SinkConfig.from(new Properties(), Map.of(
                "NEUROSTREAM_KAFKA_BOOTSTRAP_SERVERS", "k:9092", "NEUROSTREAM_BLOBSTORE_ROOT", "/b",
                "NEUROSTREAM_SINK_FHIR_ENABLED", "true"))).hasMessageContaining("sink.fhir.base-url");
    }

    @Test
    void missingRequiredSettingNamesTheEnvironmentVariable() {
        assertThatThrownBy(() -> SinkConfig.from(new Properties(), Map.of("NEUROSTREAM_BLOBSTORE_ROOT", "/b")))
                .hasMessageContaining("kafka.bootstrap.servers").hasMessageContaining("NEUROSTREAM_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void folderTargetIsOffWithoutADirectory() {
        SinkConfig config = SinkConfig.from(new Properties(), Map.of(
                "NEUROSTREAM_KAFKA_BOOTSTRAP_SERVERS", "k:9092", "NEUROSTREAM_BLOBSTORE_ROOT", "/b"));
        assertThat(config.folderEnabled()).isFalse();
        assertThat(SinkService.targets(config)).extracting(DeliveryTarget::name).containsExactly("pacs");
    }
}
