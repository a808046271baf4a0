package org.neurostream.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Lints and renders the chart with Helm's own library (helm-java) and checks what Kubernetes would receive. */
class HelmChartTest {
    private static final Path REPO = Path.of(System.getProperty("neurostream.repo", "..")).toAbsolutePath().normalize();
    private static final Path CHART = REPO.resolve("helm").resolve("neurostream");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void lintPassesInStrictMode() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void defaultValuesRenderThreeServicesWithoutGpuAllNonRootReadOnlyAndProbed() throws IOException {
        List<Map<String, Object>> manifests = render(false);
        assertThat(kinds(manifests)).contains("Deployment", "Service", "ConfigMap", "Secret", "PersistentVolumeClaim",
                "PodDisruptionBudget", "NetworkPolicy").doesNotContain("ServiceMonitor", "PrometheusRule");
        List<Map<String, Object>> deployments = ofKind(manifests, "Deployment");
        assertThat(deployments).extracting(d -> name(d)).containsExactlyInAnyOrder("ns-neurostream-ingest",
                "ns-neurostream-processor", "ns-neurostream-sink");
        for (Map<String, Object> deployment : deployments) {
            assertSecureAndProbed(deployment);
        }
        Map<String, Object> processor = container(find(deployments, "ns-neurostream-processor"));
        assertThat(limits(processor)).doesNotContainKey("nvidia.com/gpu");
        assertThat(podSpec(find(deployments, "ns-neurostream-processor"))).doesNotContainKey("nodeSelector");
        assertThat(env(processor)).containsEntry("TF_ENABLE_ONEDNN_OPTS", "1")
                .containsEntry("TENSORFLOW_LIBRARY_PATH", "/opt/neurostream/tensorflow-2.16.1");

        // The DICOM port is reachable through the ingest Service.
        Map<String, Object> ingestService = find(ofKind(manifests, "Service"), "ns-neurostream-ingest");
        assertThat(list(map(ingestService, "spec"), "ports")).anySatisfy(p -> {
            assertThat(p).containsEntry("name", "dicom").containsEntry("port", 11112);
        });
        // The blob store is one ReadWriteMany claim every service mounts.
        Map<String, Object> pvc = ofKind(manifests, "PersistentVolumeClaim").get(0);
        assertThat(map(pvc, "spec").get("accessModes")).isEqualTo(List.of("ReadWriteMany"));
        // The salt comes from the Secret, never from the ConfigMap.
        String properties = (String) map(ofKind(manifests, "ConfigMap").get(0), "data").get("neurostream.properties");
        assertThat(properties).contains("kafka.bootstrap.servers=kafka-bootstrap.kafka.svc:9092", "ops.port=8080")
                .doesNotContain("salt=").doesNotContain("security.protocol");
    }

    @Test
    void gpuValuesAddTheGpuLimitNodeSelectorAndTolerationsToTheProcessorOnly() throws IOException {
        List<Map<String, Object>> manifests = render(true);
        List<Map<String, Object>> deployments = ofKind(manifests, "Deployment");
        for (Map<String, Object> deployment : deployments) {
            assertSecureAndProbed(deployment);
            boolean processor = name(deployment).endsWith("-processor");
            assertThat(limits(container(deployment)).containsKey("nvidia.com/gpu")).as(name(deployment))
                    .isEqualTo(processor);
        }
        Map<String, Object> processor = find(deployments, "ns-neurostream-processor");
        assertThat(limits(container(processor))).containsEntry("nvidia.com/gpu", 1).containsKey("memory");
        assertThat(map(podSpec(processor), "nodeSelector")).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(list(podSpec(processor), "tolerations")).anySatisfy(t -> assertThat(t)
                .containsEntry("key", "nvidia.com/gpu").containsEntry("effect", "NoSchedule"));
    }

    @Test
    void monitoringObjectsAndKafkaSecurityAreOptIn() throws IOException {
        String rendered = template(false).set("metrics.serviceMonitor.enabled", "true")
                .set("metrics.prometheusRule.enabled", "true").set("metrics.prometheusRule.noStudiesFor", "12h")
                .set("kafka.tls.enabled", "true").set("kafka.tls.caSecret", "kafka-ca")
                .set("kafka.sasl.enabled", "true").set("kafka.sasl.existingSecret", "kafka-user").call();
        List<Map<String, Object>> manifests = parse(rendered);
        Map<String, Object> monitor = ofKind(manifests, "ServiceMonitor").get(0);
        assertThat(list(map(monitor, "spec"), "endpoints")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("port", "ops").containsEntry("path", "/metrics"));

        // The PrometheusRule carries ops/prometheus/alerts.yml's groups, with the site's no-studies window.
        Map<String, Object> fromFile = YAML.readValue(REPO.resolve("ops/prometheus/alerts.yml").toFile(), Map.class);
        Map<String, Object> spec = map(ofKind(manifests, "PrometheusRule").get(0), "spec");
        List<Map<String, Object>> expected = rules(fromFile);
        expected.stream().filter(r -> "NeuroStreamNoStudies".equals(r.get("alert"))).forEach(r -> r.put("for", "12h"));
        assertThat(rules(spec)).isEqualTo(expected);

        String properties = (String) map(ofKind(manifests, "ConfigMap").get(0), "data").get("neurostream.properties");
        assertThat(properties).contains("processor.streams.security.protocol=SASL_SSL",
                "processor.streams.ssl.truststore.location=/etc/neurostream-kafka/tls/ca.crt",
                "password=\"${dir:/etc/neurostream-kafka/sasl:password}\"");
        for (Map<String, Object> deployment : ofKind(manifests, "Deployment")) {
            assertThat(list(podSpec(deployment), "volumes")).extracting(v -> v.get("name"))
                    .contains("kafka-tls", "kafka-sasl");
        }
    }

    @Test
    void theChartsAlertRulesAreTheOpsRulesFile() throws IOException {
        assertThat(CHART.resolve("files/alerts.yml")).hasSameTextualContentAs(
                REPO.resolve("ops/prometheus/alerts.yml"));
    }

    private static void assertSecureAndProbed(Map<String, Object> deployment) {
        Map<String, Object> pod = podSpec(deployment);
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
        assertThat((Integer) map(pod, "securityContext").get("runAsUser")).isPositive();
        for (Map<String, Object> c : list(pod, "containers")) {
            Map<String, Object> security = map(c, "securityContext");
            assertThat(security).as(name(deployment)).containsEntry("runAsNonRoot", true)
                    .containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false);
            assertThat(c).as(name(deployment)).containsKeys("livenessProbe", "readinessProbe", "startupProbe");
            assertThat(map(map(c, "readinessProbe"), "httpGet")).containsEntry("path", "/readyz");
            assertThat(map(map(c, "livenessProbe"), "httpGet")).containsEntry("path", "/healthz");
            assertThat(map(map(c, "resources"), "requests")).containsKeys("cpu", "memory");
        }
    }

    private static com.marcnuri.helm.TemplateCommand template(boolean gpu) {
        var command = new Helm(CHART).template().withName("ns").withNamespace("neurostream");
        if (gpu) {
            command = command.withValuesFile(CHART.resolve("values-gpu.yaml"));
        }
        // Required site values: a salt, the PACS the sink delivers to.
        return command.set("secrets.patientKeySalt", "test-salt").set("sink.pacs.host", "pacs.example.org");
    }

    private static List<Map<String, Object>> render(boolean gpu) throws IOException {
        return parse(template(gpu).call());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parse(String rendered) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (var values = YAML.readerFor(Map.class).readValues(rendered)) {
            while (values.hasNext()) {
                Map<String, Object> doc = (Map<String, Object>) values.next();
                if (doc != null && !doc.isEmpty()) {
                    out.add(doc);
                }
            }
        }
        return out;
    }

    private static List<String> kinds(List<Map<String, Object>> manifests) {
        return manifests.stream().map(m -> (String) m.get("kind")).distinct().toList();
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> manifests, String kind) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind"))).toList();
    }

    private static Map<String, Object> find(List<Map<String, Object>> manifests, String name) {
        return manifests.stream().filter(m -> name.equals(name(m))).findFirst().orElseThrow(
                () -> new AssertionError("no " + name));
    }

    private static String name(Map<String, Object> manifest) {
        return (String) map(manifest, "metadata").get("name");
    }

    private static Map<String, Object> podSpec(Map<String, Object> deployment) {
        return map(map(map(deployment, "spec"), "template"), "spec");
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        return list(podSpec(deployment), "containers").get(0);
    }

    private static Map<String, Object> limits(Map<String, Object> container) {
        Map<String, Object> limits = map(map(container, "resources"), "limits");
        return limits == null ? Map.of() : limits;
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.HashMap<>();
        for (Map<String, Object> e : list(container, "env")) {
            env.put((String) e.get("name"), Objects.toString(e.get("value"), null));
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules(Map<String, Object> spec) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) spec.get("groups")) {
            all.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) parent.get(key);
    }
}
