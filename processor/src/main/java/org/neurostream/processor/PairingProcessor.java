package org.neurostream.processor;

import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.neurostream.processor.pairing.PairingDecision;
import org.neurostream.processor.pairing.PatientHistories;
import org.neurostream.processor.pairing.PriorSelector;
import org.neurostream.processor.pairing.SeriesKind;
import org.neurostream.processor.pairing.SeriesKindRules;
import org.neurostream.schemas.PatientHistory;
import org.neurostream.schemas.SeriesReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each patient's history in a state store and forwards, for every new 3D T1 series, the pairing decision.
 * The Kafka edge only: the rules are in {@link SeriesKindRules} and {@link PriorSelector}.
 */
final class PairingProcessor implements Processor<String, SeriesReceived, String, PairingDecision> {
    private static final Logger LOG = LoggerFactory.getLogger(PairingProcessor.class);

    private ProcessorContext<String, PairingDecision> context;
    private KeyValueStore<String, PatientHistory> histories;

    @Override
    public void init(ProcessorContext<String, PairingDecision> context) {
        this.context = context;
        this.histories = context.getStateStore(ProcessorTopology.HISTORY_STORE);
    }

    @Override
    public void process(Record<String, SeriesReceived> record) {
        SeriesReceived series = record.value();
        if (series == null || record.key() == null) {
            LOG.warn("skipping a SeriesReceived without key or value (offset from {})",
                    context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"));
            return;
        }
        SeriesKind kind = SeriesKindRules.classify(series);
        if (!kind.isT1()) {
            // Only pairable series are kept: the state stays small however many other series a study has.
            LOG.info("series {} of study {}: not analysed ({})", series.getSeriesInstanceUid(),
                    series.getStudyInstanceUid(), kind.reason());
            return;
        }
        PatientHistory history = histories.get(record.key());
        if (history == null) {
            history = PatientHistories.empty();
        }
        Optional<SeriesReceived> merged = PatientHistories.merge(history, series);
        if (merged.isEmpty()) {
            LOG.info("series {} of study {}: no new instance (re-send), nothing to do", series.getSeriesInstanceUid(),
                    series.getStudyInstanceUid());
            return;
        }
        histories.put(record.key(), PatientHistories.with(history, merged.get()));
        context.forward(record.withValue(PriorSelector.select(history.getSeries(), merged.get())));
    }
}
