package org.neurostream.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules checked and unit-tested by Prometheus' own promtool, as a file and as the chart renders them. */
class AlertRulesTest {
    private static final Path REPO = Path.of(System.getProperty("neurostream.repo", "..")).toAbsolutePath().normalize();
    private static final Path RULES = REPO.resolve("ops/prometheus/alerts.yml");

    @TempDir
    Path dir;

    @Test
    void theRulesFilePassesPromtoolCheckRules() throws Exception {
        String out = promtool("check", "rules", RULES.toString());
        assertThat(out).contains("SUCCESS: 6 rules found");
    }

    @Test
    void eachAlertFiresOnItsSituationAndStaysQuietOtherwise() throws Exception {
        String out = promtool("test", "rules", REPO.resolve("ops/prometheus/alerts-test.yml").toString());
        assertThat(out).contains("SUCCESS");
    }

    @Test
    void theChartsPrometheusRulePassesPromtoolToo() throws Exception {
        String rendered = new Helm(REPO.resolve("helm/neurostream")).template().withName("ns")
                .set("secrets.patientKeySalt", "s").set("sink.pacs.host", "pacs")
                .set("metrics.prometheusRule.enabled", "true").set("metrics.prometheusRule.noStudiesFor", "90m")
                .call();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<?, ?> rule = null;
        try (var docs = yaml.readerFor(Map.class).readValues(rendered)) {
            while (docs.hasNext()) {
                Map<?, ?> doc = (Map<?, ?>) docs.next();
                if (doc != null && "PrometheusRule".equals(doc.get("kind"))) {
                    rule = doc;
                }
            }
        }
        assertThat(rule).as("PrometheusRule rendered").isNotNull();
        Path file = dir.resolve("chart-rules.yml");
        yaml.writeValue(file.toFile(), rule.get("spec"));
        assertThat(Files.readString(file)).contains("for: \"90m\"");
        assertThat(promtool("check", "rules", file.toString())).contains("SUCCESS: 6 rules found");
    }

    /** Runs promtool; a non-zero exit fails with its output. */
    private static String promtool(String... args) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/promtool"))) {
            fail("promtool is not installed (Debian package prometheus; scripts/setup.sh installs it)");
        }
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
