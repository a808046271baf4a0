package org.neurostream.processor;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.neurostream.processor.analysis.PairAnalyzer;
import org.neurostream.processor.pairing.PatientPairing;
import org.neurostream.processor.priorfetch.PriorFetcher;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.DeadLetter;
import org.neurostream.schemas.PatientHistory;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;

/**
 * The processor's whole flow, top-down: series in → history, pairing (and prior fetch) → preparation and models →
 * results (+ dead letters).
 */
public final class ProcessorTopology {
    static final String HISTORY_STORE = "patient-history";
    static final String WAITING_STORE = "prior-fetch-waits";

    public static Topology build(PatientPairing pairing, PairAnalyzer analyzer, PriorFetcher fetcher,
            Duration fetchCheckInterval) {
        var seriesSerde = AvroSerde.of(SeriesReceived.class);
        var resultSerde = AvroSerde.of(AnalysisResult.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HISTORY_STORE),
                Serdes.String(), AvroSerde.of(PatientHistory.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WAITING_STORE),
                Serdes.String(), Serdes.Long()));

        // Records are keyed by patient key, so one patient's studies are always handled by one task, in order;
        // instances of the processor share the partitions and take over each other's patients with their state.
        KStream<String, AnalysisResult> results = builder
                .stream(Topics.SERIES_RECEIVED, Consumed.with(Serdes.String(), seriesSerde))
                .process(() -> new PairingProcessor(pairing, analyzer, fetcher, fetchCheckInterval),
                        HISTORY_STORE, WAITING_STORE);

        results.to(Topics.ANALYSIS_RESULTS, Produced.with(Serdes.String(), resultSerde));
        results.filter((key, result) -> result.getStatus() == AnalysisStatus.REJECTED)
                .mapValues((key, result) -> DeadLetter.newBuilder()
                        .setStage("processor")
                        .setReason(result.getReason())
                        .setKey(key)
                        .setSubjectId(result.getCurrent().getSeriesInstanceUid())
                        .setPayload(java.nio.ByteBuffer.wrap(resultSerde.toBytes(result)))
                        .setAtMillis(result.getCreatedAtMillis())
                        .build())
                .to(Topics.DEAD_LETTERS, Produced.with(Serdes.String(), AvroSerde.of(DeadLetter.class)));
        return builder.build();
    }

    private ProcessorTopology() {
    }
}
