package org.neurostream.processor;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.neurostream.processor.analysis.NewLesionModel;
import org.neurostream.processor.analysis.PairAnalyzer;
import org.neurostream.processor.pairing.PairingDecision;
import org.neurostream.processor.pairing.PatientHistories;
import org.neurostream.processor.pairing.PatientPairing;
import org.neurostream.processor.preparation.RejectionReasons;
import org.neurostream.processor.priorfetch.PriorFetcher;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.PatientHistory;
import org.neurostream.schemas.SeriesReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka edge of pairing: keeps each patient's history in a state store, applies {@link PatientPairing} to
 * every event, analyses each decision and forwards the results. Analysis happens here, inside the same
 * exactly-once transaction as the state update, so the history always knows which result answers which
 * follow-up (and a later arrival can say which result it supersedes).
 */
final class PairingProcessor implements Processor<String, SeriesReceived, String, AnalysisResult> {
    private static final Logger LOG = LoggerFactory.getLogger(PairingProcessor.class);
    private static final char KEY_SEPARATOR = '\u0000';
    static final String PAIRING_OUTCOMES = "neurostream.pairing.outcomes";
    static final String PRIOR_FETCHES = "neurostream.prior.fetches";
    static final String INFERENCE_SECONDS = "neurostream.inference.seconds";
    /** Counted here, where each REJECTED result is made; ProcessorTopology writes the record itself. */
    static final String DEAD_LETTERS = "neurostream.dead.letters";

    private final PatientPairing pairing;
    private final PairAnalyzer analyzer;
    private final PriorFetcher fetcher;
    private final Duration fetchCheckInterval;
    private ProcessorContext<String, AnalysisResult> context;
    private KeyValueStore<String, PatientHistory> histories;
    /** patient key + NUL + follow-up series UID → deadline: the follow-ups waiting for a fetched prior. */
    private KeyValueStore<String, Long> waiting;

    PairingProcessor(PatientPairing pairing, PairAnalyzer analyzer, PriorFetcher fetcher,
            Duration fetchCheckInterval) {
        this.pairing = pairing;
        this.analyzer = analyzer;
        this.fetcher = fetcher;
        this.fetchCheckInterval = fetchCheckInterval;
    }

    @Override
    public void init(ProcessorContext<String, AnalysisResult> context) {
        this.context = context;
        this.histories = context.getStateStore(ProcessorTopology.HISTORY_STORE);
        this.waiting = context.getStateStore(ProcessorTopology.WAITING_STORE);
        // Wall-clock: deadlines must pass even when no new series arrives.
        context.schedule(fetchCheckInterval, PunctuationType.WALL_CLOCK_TIME, this::endFinishedWaits);
    }

    @Override
    public void process(Record<String, SeriesReceived> record) {
        SeriesReceived series = record.value();
        if (series == null || record.key() == null) {
            LOG.warn("skipping a SeriesReceived without key or value (offset from {})",
                    context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"));
            return;
        }
        PatientHistory history = Optional.ofNullable(histories.get(record.key())).orElseGet(PatientHistories::empty);
        PatientPairing.Step step = pairing.accept(history, series, System.currentTimeMillis());
        if (!step.kind().isPairable()) {
            Metrics.counter(PAIRING_OUTCOMES, "outcome", "not-pairable", "reason", "series-kind").increment();
            LOG.info("series {} of study {}: not analysed ({})", series.getSeriesInstanceUid(),
                    series.getStudyInstanceUid(), step.kind().reason());
            return;
        }
        if (step.history() == history) {
            LOG.info("series {} of study {}: no new instance (re-send), nothing to do", series.getSeriesInstanceUid(),
                    series.getStudyInstanceUid());
            return;
        }
        if (step.decisions().isEmpty() && step.fetches().isEmpty()) {
            LOG.info("series {} of study {}: {} kept in the history; no follow-up to (re)analyse",
                    series.getSeriesInstanceUid(), series.getStudyInstanceUid(), step.kind().kind());
        }
        // A follow-up waiting for a fetched prior stops waiting when its prior arrives.
        step.fetchesEnded().forEach(x -> Metrics.counter(PRIOR_FETCHES, "outcome", "prior-arrived").increment());
        apply(record.key(), step, record.timestamp());
    }

    private void apply(String patientKey, PatientPairing.Step step, long timestamp) {
        // Analyse first, write after: under exactly-once the first send (a result, or a store's changelog record)
        // opens a transaction, and one that stayed open through minutes of inference would outlive the
        // transaction timeout and fence this thread.
        List<AnalysisResult> results = new ArrayList<>();
        for (PairingDecision decision : step.decisions()) {
            results.add(coded(analyzer.analyse(patientKey, decision)));
        }
        PatientHistory history = step.history();
        for (String ended : step.fetchesEnded()) {
            waiting.delete(patientKey + KEY_SEPARATOR + ended);
        }
        for (PatientPairing.FetchRequest fetch : step.fetches()) {
            String series = fetch.followUp().getSeriesInstanceUid();
            long deadline = PatientHistories.find(history, series).orElseThrow().getPriorFetch().getDeadlineMillis();
            waiting.put(patientKey + KEY_SEPARATOR + series, deadline);
            LOG.info("series {} of study {}: no {} prior in the history; asking the PACS (waiting until {})", series,
                    fetch.followUp().getStudyInstanceUid(), fetch.kind(), java.time.Instant.ofEpochMilli(deadline));
            fetcher.request(patientKey, fetch);
            Metrics.counter(PRIOR_FETCHES, "outcome", "requested").increment();
        }
        for (int d = 0; d < results.size(); d++) {
            PairingDecision decision = step.decisions().get(d);
            AnalysisResult result = results.get(d);
            recordMetrics(decision, result);
            if (result.getStatus() == AnalysisStatus.REJECTED) {
                String code = RejectionReasons.codeOf(result.getReason());
                Metrics.counter(DEAD_LETTERS, "stage", "processor", "reason", code).increment();
                LOG.warn("series {} of study {}: rejected [{}], REJECTED result and dead letter: {}",
                        decision.current().getSeriesInstanceUid(), decision.current().getStudyInstanceUid(), code,
                        result.getReason());
            }
            decision.supersedes().ifPresent(old -> LOG.info("series {} of study {}: result {} supersedes {} ({})",
                    decision.current().getSeriesInstanceUid(), decision.current().getStudyInstanceUid(),
                    result.getResultId(), old, decision.reason()));
            history = PatientPairing.recorded(history, decision, result.getResultId());
            context.forward(new Record<>(patientKey, result, timestamp));
        }
        histories.put(patientKey, history);
    }

    /**
     * A REJECTED result's reason gets its stable code in front ({@code missing-slices: …}); the dead-letter record
     * copies the reason, so the code travels with it. Deterministic, so a replay rebuilds the same result.
     */
    private static AnalysisResult coded(AnalysisResult result) {
        if (result.getStatus() != AnalysisStatus.REJECTED) {
            return result;
        }
        String reason = RejectionReasons.withCode(result.getReason());
        return reason.equals(result.getReason()) ? result : AnalysisResult.newBuilder(result).setReason(reason).build();
    }

    /** Ends every wait whose fetch reported back empty-handed or whose deadline has passed. */
    private void endFinishedWaits(long now) {
        List<KeyValue<String, Long>> due = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = waiting.all()) {
            all.forEachRemaining(due::add);
        }
        for (KeyValue<String, Long> wait : due) {
            int cut = wait.key.indexOf(KEY_SEPARATOR);
            String patientKey = wait.key.substring(0, cut);
            String series = wait.key.substring(cut + 1);
            Optional<String> why = fetcher.takeEnded(patientKey, series);
            if (why.isEmpty() && now < wait.value) {
                continue;
            }
            String reason = why.orElse("no prior arrived within the fetch timeout");
            Metrics.counter(PRIOR_FETCHES, "outcome", why.isPresent() ? "ended-without-prior" : "timed-out")
                    .increment();
            PatientHistory history = Optional.ofNullable(histories.get(patientKey)).orElseGet(PatientHistories::empty);
            PatientPairing.Step step = pairing.fetchEnded(history, series, reason, now);
            waiting.delete(wait.key);
            if (step.history() != history) {
                apply(patientKey, step, now);
            }
        }
    }

    /**
     * Pairing outcome (result status and a fixed reason code; the result's own reason text holds UIDs, so it never
     * becomes a tag) and inference time per model and device, from the result's stage timings.
     */
    private static void recordMetrics(PairingDecision decision, AnalysisResult result) {
        String reason = decision.supersedes().isPresent() ? "superseding"
                : decision.hasPrior() ? "prior-found" : "no-prior";
        Metrics.counter(PAIRING_OUTCOMES, "outcome", result.getStatus().name().toLowerCase(Locale.ROOT)
                .replace('_', '-'), "reason", reason).increment();
        for (ModelInfo model : result.getModels()) {
            Map<String, Long> stages = result.getStageMillis();
            // The tissue model runs once per visit, the lesion model's step is "new-lesions"; every other model's
            // forward pass is the "inference" step.
            long millis = model.getName().contains("tissue")
                    ? stages.getOrDefault("tissue-prior", 0L) + stages.getOrDefault("tissue-current", 0L)
                    : model.getName().contains("lesion") ? stages.getOrDefault(NewLesionModel.STAGE, -1L)
                    : stages.getOrDefault("inference", -1L);
            if (millis >= 0) {
                Timer.builder(INFERENCE_SECONDS).tag("model", model.getName()).tag("device", model.getDevice())
                        .register(Metrics.globalRegistry).record(millis, TimeUnit.MILLISECONDS);
            }
        }
    }
}
