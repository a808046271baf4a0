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
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.processor.preparation.Steps;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.StudyRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a pairing decision into an {@link AnalysisResult}: the flow of one pair, top-down — load and assemble both
 * series from the blob store (assembly checks), prepare the pair (reorientation, brain extraction, registration),
 * run each configured model on it (each with its own resampling and normalisation, then inference). Never throws:
 * a failure becomes a REJECTED result with the reason.
 */
public final class PairAnalyzer {
    private static final Logger LOG = LoggerFactory.getLogger(PairAnalyzer.class);

    private final BlobStore blobs;
    private final PairPreparation preparation;
    private final List<PairModel> models;

    /** @param models run in this order on every analysed pair; at least one */
    public PairAnalyzer(BlobStore blobs, PairPreparation preparation, List<PairModel> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a pair analyser needs at least one model");
        }
        this.blobs = blobs;
        this.preparation = preparation;
        this.models = List.copyOf(models);
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
            Volume baseline = Steps.timed(stages, "assembly-prior", () -> load(prior));
            Volume followUp = Steps.timed(stages, "assembly-current", () -> load(current));
            PairPreparation.PreparedPair prepared = preparation.prepare(baseline, followUp, stages);
            List<ModelInfo> used = new ArrayList<>();
            models.forEach(m -> used.add(m.info()));
            prepared.models().forEach(m -> used.add(toSchema(m)));
            AnalysisResult.Builder findings = base(patientKey, decision, AnalysisStatus.ANALYSED, decision.reason(),
                    ResultIds.analysedResultId(pairId, current.getEventId(), prior.getEventId(), used))
                    .setPairId(pairId)
                    .setPrior(studyRef(prior))
                    .setIntervalDays(decision.intervalDays())
                    .setModels(used)
                    .setPreparation(prepared.record());
            for (PairModel model : models) {
                model.analyse(prepared, stages, findings);
            }
            AnalysisResult result = findings.setStageMillis(new LinkedHashMap<>(stages)).build();
            LOG.info("pair {} (prior study {}, follow-up study {}): {}; registration NCC {} in {} ms",
                    pairId, prior.getStudyInstanceUid(), current.getStudyInstanceUid(), Findings.summary(result),
                    String.format("%.3f", prepared.record().getRegistration().getSimilarityAfter()),
                    stages.values().stream().mapToLong(Long::longValue).sum());
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

    /** The schema's form of a served model's identity. */
    public static ModelInfo toSchema(org.neurostream.inference.ModelInfo served) {
        return ModelInfo.newBuilder().setName(served.name()).setVersion(served.version())
                .setSha256(served.sha256()).setDevice(served.device()).build();
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
}
