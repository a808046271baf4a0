package org.neurostream.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OpsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void metricsRecordedGloballyAreServedInAFormatPromtoolAcceptsAndReadinessFollowsTheCallback() throws Exception {
        Binaries.require("promtool", "prometheus");
        AtomicBoolean ready = new AtomicBoolean(false);
        try (OpsServer ops = OpsServer.start("test", 0, ready::get)) {
            // Recorded on the global registry, the way every service records.
            Metrics.counter("neurostream.test.events", "outcome", "ok").increment(3);
            // What Kafka's client binder registers: a gauge named *.count and a time in nanoseconds.
            Metrics.gauge("kafka.test.connection.count", 2.0);
            io.micrometer.core.instrument.FunctionCounter.builder("kafka.test.io.time.ns.total", this, x -> 5)
                    .register(Metrics.globalRegistry);
            Timer.builder("neurostream.test.step.seconds").tag("step", "resample").register(Metrics.globalRegistry)
                    .record(Duration.ofMillis(120));

            assertThat(get(ops.url().resolve("healthz")).statusCode()).isEqualTo(200);
            assertThat(get(ops.url().resolve("readyz")).statusCode()).isEqualTo(503);
            ready.set(true);
            assertThat(get(ops.url().resolve("readyz")).statusCode()).isEqualTo(200);

            HttpResponse<String> metrics = get(ops.url().resolve("metrics"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/plain"));
            assertThat(metrics.body())
                    .contains("neurostream_test_events_total{outcome=\"ok\"} 3.0")
                    // a histogram, so Prometheus can compute p50/p95 over pods
                    .contains("neurostream_test_step_seconds_bucket{step=\"resample\",le=")
                    .contains("jvm_memory_used_bytes")
                    .contains("kafka_test_connections 2.0").doesNotContain("kafka_test_io_time");
            Binaries.Result check = Binaries.run(List.of("promtool", "check", "metrics"), metrics.body());
            assertThat(check.exitCode()).as(check.output()).isZero();
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
