package org.neurostream.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.StudyRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's decision for one result, without Kafka: ANALYSED → build the SR once and deliver it to every
 * target (each with its own retries); anything else → log and skip. Never throws for a bad result: the
 * outcome says what happened, and the caller turns FAILED into a dead letter.
 */
public final class ResultHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ResultHandler.class);

    private final SrBuilder builder;
    private final List<DeliveryTarget> targets;
    private final RetryPolicy retry;

    public ResultHandler(SrBuilder builder, List<DeliveryTarget> targets, RetryPolicy retry) {
        this.builder = builder;
        this.targets = List.copyOf(targets);
        this.retry = retry;
    }

    public DeliveryOutcome handle(AnalysisResult result) {
        StudyRef current = result.getCurrent();
        String study = current.getStudyInstanceUid();
        String series = current.getSeriesInstanceUid();
        if (result.getStatus() != AnalysisStatus.ANALYSED) {
            LOG.info("result {} {}: study {} series {}: {} (no SR)", result.getResultId(), result.getStatus(),
                    study, series, result.getReason());
            return new DeliveryOutcome(result.getResultId(), DeliveryOutcome.Status.SKIPPED, study, series, null,
                    Map.of(), result.getStatus() + ": " + result.getReason());
        }
        SrDocument sr;
        try {
            sr = builder.build(result);
        } catch (Exception e) {
            // Deterministic input problem (missing blob, bad header): retrying would fail the same way. The message
            // is safe to log and dead-letter: SrBuilder keeps parser messages (which may quote patient data) out.
            String reason = "SR build failed: " + describe(e);
            LOG.warn("result {}: study {} series {}: {}", result.getResultId(), study, series, reason);
            return new DeliveryOutcome(result.getResultId(), DeliveryOutcome.Status.FAILED, study, series, null,
                    Map.of(), reason);
        }
        Map<String, String> locations = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (DeliveryTarget target : targets) {
            try {
                String what = "delivery of SR " + sr.sopInstanceUid() + " to " + target.name();
                locations.put(target.name(), retry.call(what, () -> target.deliver(sr)));
            } catch (Exception e) {
                failures.add(target.name() + ": " + describe(e));
            }
        }
        if (!failures.isEmpty()) {
            String reason = "delivery failed after " + retry.attempts() + " attempts: " + String.join("; ", failures);
            LOG.warn("result {}: study {} series {} SR {}: {}", result.getResultId(), study, series,
                    sr.sopInstanceUid(), reason);
            return new DeliveryOutcome(result.getResultId(), DeliveryOutcome.Status.FAILED, study, series,
                    sr.sopInstanceUid(), locations, reason);
        }
        LOG.info("result {}: study {} series {} SR {} delivered to {}", result.getResultId(), study, series,
                sr.sopInstanceUid(), locations);
        return new DeliveryOutcome(result.getResultId(), DeliveryOutcome.Status.DELIVERED, study, series,
                sr.sopInstanceUid(), locations, null);
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
