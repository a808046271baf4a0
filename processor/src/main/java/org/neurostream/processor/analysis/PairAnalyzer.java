package org.neurostream.processor.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.imaging.SeriesAssembler;
import org.neurostream.imaging.Volume;
import org.neurostream.processor.pairing.PairingDecision;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.StudyRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a pairing decision into an {@link AnalysisResult}: loads both series from the blob store, assembles them
 * into volumes and runs the change model. Never throws: a failure becomes a REJECTED result with the reason.
 */
public final class PairAnalyzer {
    private static final Logger LOG = LoggerFactory.getLogger(PairAnalyzer.class);

    private final BlobStore blobs;
    private final ChangeModel model;

    public PairAnalyzer(BlobStore blobs, ChangeModel model) {
        this.blobs = blobs;
        this.model = model;
    }

    public AnalysisResult analyse(String patientKey, PairingDecision decision) {
        SeriesReceived current = decision.current();
        if (!decision.hasPrior()) {
            LOG.info("series {} of study {}: {}", current.getSeriesInstanceUid(), current.getStudyInstanceUid(),
                    decision.reason());
            return base(patientKey, decision, AnalysisStatus.NO_PRIOR, decision.reason(),
                    ResultIds.outcomeResultId("no-prior", current.getEventId())).build();
        }
        SeriesReceived prior = decision.prior().get();
        String pairId = ResultIds.pairId(prior.getStudyInstanceUid(), current.getStudyInstanceUid());
        Map<String, Long> stages = new LinkedHashMap<>();
        try {
            Volume baseline = timed(stages, "assembly-prior", () -> load(prior));
            Volume followUp = timed(stages, "assembly-current", () -> load(current));
            ChangeModel.Estimate estimate = model.estimate(baseline, followUp, stages);
            var models = List.of(model.info());
            AnalysisResult result = base(patientKey, decision, AnalysisStatus.ANALYSED, decision.reason(),
                    ResultIds.analysedResultId(pairId, current.getEventId(), prior.getEventId(), models))
                    .setPairId(pairId)
                    .setPrior(studyRef(prior))
                    .setIntervalDays(decision.intervalDays())
                    .setPDecline(estimate.pDecline())
                    .setModels(models)
                    .setStageMillis(new LinkedHashMap<>(stages))
                    .build();
            LOG.info("pair {} (prior study {}, follow-up study {}): P(decline)={} in {} ms", pairId,
                    prior.getStudyInstanceUid(), current.getStudyInstanceUid(),
                    String.format("%.3f", estimate.pDecline()), stages.values().stream().mapToLong(Long::longValue).sum());
            return result;
        } catch (Exception e) {
            String reason = "analysis failed: " + describe(e);
            LOG.warn("pair {} (follow-up series {}): {}", pairId, current.getSeriesInstanceUid(), reason);
            return base(patientKey, decision, AnalysisStatus.REJECTED, reason,
                    ResultIds.outcomeResultId("rejected", current.getEventId(), prior.getEventId()))
                    .setPairId(pairId)
                    .setPrior(studyRef(prior))
                    .setIntervalDays(decision.intervalDays())
                    .setStageMillis(new LinkedHashMap<>(stages))
                    .build();
        }
    }

    private Volume load(SeriesReceived series) throws Exception {
        List<Path> files = new ArrayList<>(series.getInstances().size());
        for (InstanceRef instance : series.getInstances()) {
            if (!blobs.contains(instance.getBlobRef())) {
                throw new IllegalArgumentException("series " + series.getSeriesInstanceUid() + ": instance "
                        + instance.getSopInstanceUid() + " (" + instance.getBlobRef() + ") is not in the blob store");
            }
            files.add(blobs.localPath(instance.getBlobRef()));
        }
        try {
            return SeriesAssembler.assemble(files);
        } catch (Exception e) {
            throw new IllegalArgumentException("series " + series.getSeriesInstanceUid() + ": " + describe(e), e);
        }
    }

    private static AnalysisResult.Builder base(String patientKey, PairingDecision decision, AnalysisStatus status,
            String reason, String resultId) {
        SeriesReceived current = decision.current();
        return AnalysisResult.newBuilder()
                .setSupersedes(decision.supersedes().orElse(null))
                .setSeriesKind(decision.kind().name())
                .setResultId(resultId)
                .setPatientKey(patientKey)
                .setStatus(status)
                .setReason(reason)
                .setCurrent(studyRef(current))
                // From the event, not the clock: a replay must rebuild the very same result (and SR bytes).
                .setCreatedAtMillis(current.getCompletedAtMillis());
    }

    static StudyRef studyRef(SeriesReceived s) {
        return StudyRef.newBuilder()
                .setStudyInstanceUid(s.getStudyInstanceUid())
                .setSeriesInstanceUid(s.getSeriesInstanceUid())
                .setStudyDate(s.getStudyDate())
                .setInstances(s.getInstances())
                .build();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T timed(Map<String, Long> stages, String name, Step<T> step) throws Exception {
        long start = System.nanoTime();
        try {
            return step.run();
        } finally {
            stages.put(name, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
