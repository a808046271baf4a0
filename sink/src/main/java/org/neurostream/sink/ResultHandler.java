package org.neurostream.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.DeliveryStatus;
import org.neurostream.schemas.StudyRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's decision for one result, without Kafka: ANALYSED → build the SR, SEG and key image once and deliver
 * them to every target, each with its own retries; anything else → log and skip. Every attempt's outcome goes to
 * the status listener (the delivery-status topic) and to the metrics. Never throws for a bad result: the outcome
 * says what happened, and the caller turns FAILED into a dead letter.
 */
public final class ResultHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ResultHandler.class);

    private final ResultPackager packager;
    private final List<DeliveryTarget> targets;
    private final RetryPolicy retry;
    private final MeterRegistry registry;
    private final Consumer<DeliveryStatus> statuses;
    private volatile RetryPolicy.Waiter waiter = RetryPolicy.Waiter.SLEEP;

    public ResultHandler(ResultPackager packager, List<DeliveryTarget> targets, RetryPolicy retry) {
        this(packager, targets, retry, Metrics.globalRegistry, s -> { });
    }

    public ResultHandler(ResultPackager packager, List<DeliveryTarget> targets, RetryPolicy retry,
            MeterRegistry registry, Consumer<DeliveryStatus> statuses) {
        this.packager = packager;
        this.targets = List.copyOf(targets);
        this.retry = retry;
        this.registry = registry;
        this.statuses = statuses;
    }

    public List<DeliveryTarget> targets() {
        return targets;
    }

    /**
     * How the waits between retries are spent; the sink service keeps polling Kafka with its partitions paused,
     * so that a long outage does not cost it its place in the consumer group.
     */
    void waitBetweenRetriesWith(RetryPolicy.Waiter waiter) {
        this.waiter = waiter;
    }

    public DeliveryOutcome handle(AnalysisResult result) {
        StudyRef current = result.getCurrent();
        String study = current.getStudyInstanceUid();
        String series = current.getSeriesInstanceUid();
        if (result.getStatus() != AnalysisStatus.ANALYSED) {
            LOG.info("result {} {}: study {} series {}: {} (nothing to deliver)", result.getResultId(),
                    result.getStatus(), study, series, result.getReason());
            return new DeliveryOutcome(result.getResultId(), DeliveryOutcome.Status.SKIPPED, study, series, null,
                    Map.of(), result.getStatus() + ": " + result.getReason(), null);
        }
        ResultPackage pkg;
        try {
            pkg = packager.build(result);
        } catch (Exception e) {
            // Deterministic input problem (missing blob, bad header, bad mask): retrying would fail the same way.
            // The message is safe to log and dead-letter: the builders keep parser messages (which may quote
            // patient data) out.
            String reason = "SR build failed: " + describe(e);
            LOG.warn("result {}: study {} series {}: {}", result.getResultId(), study, series, reason);
            return new DeliveryOutcome(result.getResultId(), DeliveryOutcome.Status.FAILED, study, series, null,
                    Map.of(), reason, "build-failed");
        }
        String sr = pkg.sr().sopInstanceUid();
        Map<String, String> locations = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (DeliveryTarget target : targets) {
            String what = "delivery of result " + result.getResultId() + " (SR " + sr + ") to " + target.name();
            try {
                int[] attempts = {0};
                DeliveryTarget.Delivered delivered = retry.call(what, () -> {
                    attempts[0]++;
                    return target.deliver(pkg);
                }, (attempt, e, willRetry) -> {
                    org.neurostream.schemas.DeliveryOutcome outcome = willRetry
                            ? org.neurostream.schemas.DeliveryOutcome.RETRYING
                            : org.neurostream.schemas.DeliveryOutcome.FAILED;
                    record(result, target, outcome, attempt, describe(e), List.of());
                    if (willRetry) {
                        Counter.builder("neurostream.delivery.retries").tag("target", target.name())
                                .register(registry).increment();
                    }
                }, waiter);
                locations.put(target.name(), delivered.location());
                record(result, target, delivered.alreadyPresent()
                                ? org.neurostream.schemas.DeliveryOutcome.ALREADY_PRESENT
                                : org.neurostream.schemas.DeliveryOutcome.DELIVERED,
                        attempts[0], null, delivered.objectIds());
                Timer.builder("neurostream.end.to.end.latency").tag("target", target.name())
                        .publishPercentileHistogram().register(registry)
                        .record(Duration.ofMillis(Math.max(0, System.currentTimeMillis()
                                - result.getCreatedAtMillis())));
            } catch (InterruptedException e) {
                // Shutting down mid-retry: not a failed delivery. The record is not committed and is read again.
                throw new IllegalStateException("interrupted while retrying " + what, e);
            } catch (Exception e) {
                failures.add(target.name() + ": " + describe(e));
            }
        }
        if (!failures.isEmpty()) {
            String reason = "delivery failed after " + retry.describeBudget() + ": " + String.join("; ", failures);
            LOG.warn("result {}: study {} series {} SR {}: {}", result.getResultId(), study, series, sr, reason);
            return new DeliveryOutcome(result.getResultId(), DeliveryOutcome.Status.FAILED, study, series, sr,
                    locations, reason, "delivery-failed");
        }
        LOG.info("result {}: study {} series {} SR {} delivered to {}", result.getResultId(), study, series, sr,
                locations);
        return new DeliveryOutcome(result.getResultId(), DeliveryOutcome.Status.DELIVERED, study, series, sr,
                locations, null, null);
    }

    private void record(AnalysisResult result, DeliveryTarget target, org.neurostream.schemas.DeliveryOutcome outcome,
            int attempt, String detail, List<String> objectIds) {
        Counter.builder("neurostream.deliveries").tag("target", target.name())
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry).increment();
        DeliveryStatus status = DeliveryStatus.newBuilder()
                .setResultId(result.getResultId())
                .setTarget(target.name())
                .setOutcome(outcome)
                .setAttempt(attempt)
                .setDetail(detail)
                .setObjectIds(new ArrayList<>(objectIds))
                .setSeriesCompletedAtMillis(result.getCreatedAtMillis())
                .setAtMillis(System.currentTimeMillis())
                .build();
        try {
            statuses.accept(status);
        } catch (RuntimeException e) {
            LOG.warn("delivery status for result {} at {} not published: {}", result.getResultId(), target.name(),
                    e.toString());
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
