package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.sink.DeliveryOutcome;

/**
 * The demo's services and cohort (3 patients with two visits, 1 with one) run once; then what an operator sees
 * is checked with real tools: promtool on every service's /metrics, a real Prometheus scraping the three
 * services (and loading the alert rules and the dashboard's queries), and the status page in headless Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private AllInOne all;
    private List<Series> cohort;
    private final List<AnalysisResult> results = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void runTheDemoCohort() throws Exception {
        cohort = new PhantomCohort(20261123).write(dir.resolve("cohort"), 3, 1);
        List<Series> firstVisits = cohort.stream().filter(s -> s.visit() != Visit.FOLLOW_UP).toList();
        List<Series> followUps = cohort.stream().filter(s -> s.visit() == Visit.FOLLOW_UP).toList();
        Map<String, DeliveryOutcome> deliveries = new ConcurrentHashMap<>();
        all = AllInOne.start(new AllInOne.Options(dir.resolve("work"), dir.resolve("sr"), Repo.modelDir(),
                Duration.ofSeconds(2)), o -> deliveries.put(o.resultId(), o));
        try (ResultWatcher watcher = new ResultWatcher(all.bootstrapServers())) {
            StoreScu.send("127.0.0.1", all.ingestPort(), all.ingestAet(), "SCANNER",
                    firstVisits.stream().map(Series::folder).toList());
            assertThat(watcher.awaitSeries(uids(firstVisits), TIMEOUT)).isTrue();
            StoreScu.send("127.0.0.1", all.ingestPort(), all.ingestAet(), "SCANNER",
                    followUps.stream().map(Series::folder).toList());
            assertThat(watcher.awaitSeries(uids(followUps), TIMEOUT)).isTrue();
            results.addAll(watcher.all());
        }
        List<String> analysed = results.stream().filter(r -> r.getStatus() == AnalysisStatus.ANALYSED)
                .map(AnalysisResult::getResultId).toList();
        assertThat(analysed).hasSize(3);
        awaitTrue("every SR delivered", () -> deliveries.keySet().containsAll(analysed));
    }

    @AfterAll
    void stop() {
        if (all != null) {
            all.close();
        }
    }

    @Test
    void everyServicesMetricsPassPromtool() throws Exception {
        Tools.require("promtool", "prometheus");
        assertThat(all.opsUrls()).containsOnlyKeys("ingest", "processor", "sink");
        for (var service : all.opsUrls().entrySet()) {
            HttpResponse<String> metrics = get(service.getValue().resolve("metrics"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("neurostream_ingest_series_emitted_total",
                    "neurostream_pairing_outcomes_total", "neurostream_processor_step_seconds_bucket",
                    "neurostream_inference_seconds_bucket", "kafka_consumer_fetch_manager_records_lag_max",
                    "kafka_producer_record_send_total", "jvm_memory_used_bytes");
            Tools.Result check = Tools.run(List.of("promtool", "check", "metrics"), metrics.body(), 60);
            assertThat(check.exitCode()).as(service.getKey() + ": " + check.output()).isZero();
            assertThat(get(service.getValue().resolve("readyz")).statusCode()).isEqualTo(200);
            assertThat(get(service.getValue().resolve("healthz")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aRealPrometheusScrapesTheThreeServicesAndLoadsTheAlertRules() throws Exception {
        Path prometheus = Tools.require("prometheus", "prometheus");
        int port = Tools.freePort();
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                """.formatted(Repo.root().resolve("ops/prometheus/alerts.yml")));
        all.opsUrls().forEach((service, url) -> config.append("""
                  - job_name: neurostream-%s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(service, url.getPort())));
        Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
        Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/");
            awaitTrue("three neurostream targets up", () -> {
                JsonNode up = query(api, "up{job=~\"neurostream-.*\"} == 1");
                return up != null && up.size() == 3;
            });
            // Known figures of the cohort, as Prometheus scraped them from each service's job.
            int seriesSent = cohort.size();
            awaitTrue("series counted", () -> value(query(api,
                    "neurostream_ingest_series_emitted_total{job=\"neurostream-ingest\"}")) == seriesSent);
            assertThat(value(query(api, "sum(neurostream_pairing_outcomes_total{job=\"neurostream-processor\","
                    + "outcome=\"analysed\"})"))).isEqualTo(3);
            assertThat(value(query(api, "sum(neurostream_inference_seconds_count{job=\"neurostream-processor\","
                    + "model=\"change-classifier\"})"))).isEqualTo(3);
            assertThat(value(query(api, "sum(neurostream_ingest_received_bytes_total{job=\"neurostream-ingest\"})")))
                    .isPositive();

            // Every alert rule loaded and evaluates; every dashboard query parses and runs.
            awaitTrue("rules evaluated", () -> {
                JsonNode groups = getJson(api.resolve("rules")).path("data").path("groups");
                List<JsonNode> rules = new ArrayList<>();
                groups.forEach(g -> g.path("rules").forEach(rules::add));
                return rules.size() == 6 && rules.stream().allMatch(r -> "ok".equals(r.path("health").asText())
                        && r.path("lastEvaluation").asText().compareTo("2000") > 0);
            });
            JsonNode dashboard = JSON.readTree(Repo.root().resolve("ops/grafana/neurostream.json").toFile());
            List<String> titles = new ArrayList<>();
            dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
            assertThat(String.join("\n", titles)).contains("Throughput", "p50 / p95", "Consumer lag",
                    "Inference time by model", "Failures");
            int queries = 0;
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    JsonNode answer = getJson(api.resolve("query?query=" + encode(target.path("expr").asText())));
                    assertThat(answer.path("status").asText()).as(target.path("expr").asText()).isEqualTo("success");
                    queries++;
                }
            }
            assertThat(queries).isGreaterThanOrEqualTo(10);
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void theStatusPageInHeadlessChromiumShowsTheCohortWithoutPatientData() throws Exception {
        Path chromium = Tools.require("chromium", "chromium");
        URI page = all.statusPageUrl();
        List<String> followUpSeries = uids(cohort.stream().filter(s -> s.visit() == Visit.FOLLOW_UP).toList());
        // The page reads the topics on its own: wait until it has every follow-up.
        awaitTrue("status page has the follow-ups and their deliveries", () -> {
            String body = get(page).body();
            return followUpSeries.stream().allMatch(body::contains) && count(body, ">DELIVERED<") >= 3;
        });

        List<String> common = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("chromium-profile"));
        List<String> dumpDom = new ArrayList<>(common);
        dumpDom.addAll(List.of("--dump-dom", page.toString()));
        Tools.Result dom = Tools.run(dumpDom, null, 120);
        assertThat(dom.exitCode()).as(dom.output()).isZero();
        String html = dom.output();
        assertThat(html).contains("NeuroStream status", "Recent studies", "Pairing outcomes", "Results",
                "Delivery status", "key image: not produced yet");
        for (Series s : cohort) {
            assertThat(html).contains(s.studyUid(), s.seriesUid());
            assertThat(html).as("patient data on the page").doesNotContain(s.patientId())
                    .doesNotContain(s.patientName()).doesNotContain(s.patientName().replace('^', ' '));
        }
        for (AnalysisResult r : results) {
            assertThat(html).doesNotContain(r.getPatientKey());
            if (r.getStatus() == AnalysisStatus.ANALYSED) {
                assertThat(html).contains(r.getResultId(), String.format(Locale.ROOT, "%.3f", r.getPDecline()));
            }
        }
        assertThat(count(html, ">ANALYSED<")).isEqualTo(3);
        assertThat(count(html, ">NO_PRIOR<")).isEqualTo(4);
        // The sink reports each delivery per target (DeliveryStatus): every analysed result delivered somewhere.
        for (AnalysisResult r : results) {
            if (r.getStatus() == AnalysisStatus.ANALYSED) {
                assertThat(html).containsPattern(java.util.regex.Pattern.quote(r.getResultId())
                        + "</td><td>[a-z-]+</td><td class=\"DELIVERED\">DELIVERED</td>");
            }
        }

        Path screenshot = Files.createDirectories(Path.of("target")).resolve("status-page.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        List<String> shoot = new ArrayList<>(common);
        shoot.addAll(List.of("--hide-scrollbars", "--window-size=1600,1200", "--screenshot=" + screenshot,
                page.toString()));
        Tools.Result shot = Tools.run(shoot, null, 120);
        assertThat(shot.exitCode()).as(shot.output()).isZero();
        byte[] png = Files.readAllBytes(screenshot);
        assertThat(png.length).isGreaterThan(10_000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        System.out.println("status page screenshot: " + screenshot);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private JsonNode query(URI api, String promql) throws IOException, InterruptedException {
        JsonNode answer = getJson(api.resolve("query?query=" + encode(promql)));
        return "success".equals(answer.path("status").asText()) ? answer.path("data").path("result") : null;
    }

    /** The single sample's value, or -1 when there is none. */
    private static double value(JsonNode result) {
        if (result == null || result.size() != 1) {
            return -1;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private JsonNode getJson(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = get(uri);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** Waits (bounded by {@link #TIMEOUT}) until the check holds; a failed attempt just means not yet. */
    private static void awaitTrue(String what, Check check) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                // not yet (e.g. Prometheus still starting)
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }

    private static List<String> uids(List<Series> series) {
        return series.stream().map(Series::seriesUid).toList();
    }
}
