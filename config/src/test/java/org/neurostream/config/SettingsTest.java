package org.neurostream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {
    @Test
    void environmentOverridesTheFile() {
        Properties file = new Properties();
        file.setProperty("sink.pacs.host", "pacs.file");
        file.setProperty("sink.pacs.port", "104");
        Settings s = new Settings(file, Map.of("NEUROSTREAM_SINK_PACS_HOST", " pacs.env "));
        assertThat(s.get("sink.pacs.host", "x")).isEqualTo("pacs.env");
        assertThat(s.integer("sink.pacs.port", 4242)).isEqualTo(104);
        assertThat(s.integer("sink.retry.attempts", 4)).isEqualTo(4);
    }

    @Test
    void keysUnderAPrefixPassThroughWithoutIt() {
        Properties file = new Properties();
        file.setProperty("processor.streams.consumer.session.timeout.ms", " 10000 ");
        file.setProperty("processor.streams.security.protocol", "SASL_SSL");
        file.setProperty("processor.state-dir", "x");
        assertThat(new Settings(file, Map.of()).withPrefix("processor.streams."))
                .containsOnly(Map.entry("consumer.session.timeout.ms", "10000"),
                        Map.entry("security.protocol", "SASL_SSL"));
    }

    @Test
    void missingOrMalformedSettingsNameTheKeyAndItsVariable() {
        Settings s = new Settings(new Properties(), Map.of("NEUROSTREAM_A_B", "ten"));
        assertThatThrownBy(() -> s.required("kafka.bootstrap-servers"))
                .hasMessageContaining("kafka.bootstrap-servers").hasMessageContaining("NEUROSTREAM_KAFKA_BOOTSTRAP_SERVERS");
        assertThatThrownBy(() -> s.integer("a.b", 1)).hasMessageContaining("a.b").hasMessageContaining("ten");
    }
}
