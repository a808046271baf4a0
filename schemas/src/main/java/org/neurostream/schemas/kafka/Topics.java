package org.neurostream.schemas.kafka;

import java.util.List;

/** Every Kafka topic NeuroStream uses, in one place. */
public final class Topics {
    /** {@code SeriesReceived}, keyed by patient key: ingest → processor. */
    public static final String SERIES_RECEIVED = "neurostream.series-received";
    /** {@code AnalysisResult}, keyed by patient key: processor → sink. */
    public static final String ANALYSIS_RESULTS = "neurostream.analysis-results";
    /** {@code DeliveryStatus}, keyed by result id: sink → status page, operators. */
    public static final String DELIVERY_STATUS = "neurostream.delivery-status";
    /** {@code DeadLetter}: anything a stage could not process, with the reason. */
    public static final String DEAD_LETTERS = "neurostream.dead-letters";

    public static List<String> all() {
        return List.of(SERIES_RECEIVED, ANALYSIS_RESULTS, DELIVERY_STATUS, DEAD_LETTERS);
    }

    private Topics() {
    }
}
