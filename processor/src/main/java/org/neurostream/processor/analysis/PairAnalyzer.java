package org.neurostream.processor.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.imaging.DicomSlice;
import org.neurostream.imaging.DicomSliceReader;
import org.neurostream.imaging.SeriesAssembler;
import org.neurostream.imaging.Volume;
import org.neurostream.processor.pairing.PairingDecision;
import org.neurostream.processor.pairing.SeriesKind;
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
 * run each model configured for the pair's series kind on it (each with its own resampling and normalisation, then
 * inference). Never throws: a failure becomes a REJECTED result with the reason.
 */
public final class PairAnalyzer {
    private static final Logger LOG = LoggerFactory.getLogger(PairAnalyzer.class);

    private final BlobStore blobs;
    private final PairPreparation preparation;
    private final Map<SeriesKind.Kind, List<PairModel>> modelsByKind;

    /**
     * @param modelsByKind per series kind, the models run in this order on its pairs; at least one kind, each with
     *                     at least one model (pairing decides only for kinds with models)
     */
    public PairAnalyzer(BlobStore blobs, PairPreparation preparation, Map<SeriesKind.Kind, List<PairModel>> modelsByKind) {
        if (modelsByKind.isEmpty() || modelsByKind.values().stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("a pair analyser needs at least one model for each kind it analyses");
        }
        this.blobs = blobs;
        this.preparation = preparation;
        Map<SeriesKind.Kind, List<PairModel>> copy = new EnumMap<>(SeriesKind.Kind.class);
        modelsByKind.forEach((kind, models) -> copy.put(kind, List.copyOf(models)));
        this.modelsByKind = copy;
    }

    /** A series as assembled from the blob store, and its stored grid with each frame's SOP Instance UID. */
    public record Assembled(Volume volume, StoredGrid grid) {
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
            List<PairModel> models = modelsByKind.get(decision.kind());
            if (models == null) {
                throw new IllegalStateException("no model is configured for " + decision.kind() + " pairs");
            }
            Volume baseline = Steps.timed(stages, "assembly-prior", () -> load(blobs, prior)).volume();
            Assembled followUp = Steps.timed(stages, "assembly-current", () -> load(blobs, current));
            PairPreparation.PreparedPair prepared = preparation.prepare(baseline, followUp.volume(), stages);
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
            PairModel.Inputs inputs = new PairModel.Inputs(prepared, followUp.grid(), blobs);
            for (PairModel model : models) {
                model.analyse(inputs, stages, findings);
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

    /**
     * Reads and assembles a series' instances. Each frame keeps the SOP Instance UID its event gives it (the one
     * the sink looks the instance up by), in the assembler's order: by position along the slice normal.
     */
    public static Assembled load(BlobStore blobs, SeriesReceived series) throws Exception {
        List<DicomSlice> slices = new ArrayList<>(series.getInstances().size());
        Map<DicomSlice, String> uids = new IdentityHashMap<>();
        for (InstanceRef instance : series.getInstances()) {
            if (!blobs.contains(instance.getBlobRef())) {
                throw new IllegalArgumentException("series " + series.getSeriesInstanceUid() + ": instance "
                        + instance.getSopInstanceUid() + " (" + instance.getBlobRef() + ") is not in the blob store");
            }
            try {
                DicomSlice slice = DicomSliceReader.readSlice(blobs.localPath(instance.getBlobRef()));
                slices.add(slice);
                uids.put(slice, instance.getSopInstanceUid());
            } catch (Exception e) {
                throw new IllegalArgumentException("series " + series.getSeriesInstanceUid() + ": " + describe(e), e);
            }
        }
        Volume volume;
        try {
            volume = SeriesAssembler.assembleSlices(slices);
        } catch (Exception e) {
            throw new IllegalArgumentException("series " + series.getSeriesInstanceUid() + ": " + describe(e), e);
        }
        // The assembler's own order (it rejects duplicate positions, so the order is unique); each frame is then
        // checked to sit where the volume puts its k slice, so a change in the assembler cannot go unnoticed.
        List<DicomSlice> ordered = new ArrayList<>(slices);
        ordered.sort(Comparator.comparingDouble(DicomSlice::positionAlongNormal));
        List<String> frames = new ArrayList<>(ordered.size());
        for (int k = 0; k < ordered.size(); k++) {
            double[] expected = volume.toPatient(0, 0, k);
            double[] actual = ordered.get(k).imagePosition();
            for (int a = 0; a < 3; a++) {
                if (Math.abs(expected[a] - actual[a]) > 0.01) {
                    throw new IllegalStateException("series " + series.getSeriesInstanceUid() + ": instance "
                            + uids.get(ordered.get(k)) + " is not at slice " + k + " of the assembled volume");
                }
            }
            frames.add(uids.get(ordered.get(k)));
        }
        return new Assembled(volume, new StoredGrid(volume, frames));
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
