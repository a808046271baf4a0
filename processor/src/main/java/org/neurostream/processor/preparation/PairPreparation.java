package org.neurostream.processor.preparation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.neurostream.imaging.Reorienter;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.imaging.registration.RigidTransform;
import org.neurostream.inference.BrainExtraction;
import org.neurostream.inference.BrainExtractor;
import org.neurostream.inference.ModelInfo;
import org.neurostream.schemas.Preparation;
import org.neurostream.schemas.Registration;

/**
 * The model-independent preparation of a pair of visits, one timed step at a time: both volumes to the canonical
 * LPS voxel order, brain extraction of each (mindgrab, when configured), and rigid registration of the follow-up
 * onto the baseline within the baseline's brain. Model-specific resampling and normalisation follow in each
 * model's own preprocessing (its model card says how). Assembly checks happen before, when the series are read.
 */
public final class PairPreparation {
    private final Optional<BrainExtractor> brainExtractor;
    private final RigidRegistration registration;
    private final double minRegistrationNcc;

    /**
     * @param minRegistrationNcc below this similarity after registration the pair is rejected: the two volumes do
     *                           not show the same anatomy well enough to compare (wrong patient, wrong series,
     *                           severe artefact)
     */
    public PairPreparation(Optional<BrainExtractor> brainExtractor, RigidRegistration registration,
            double minRegistrationNcc) {
        this.brainExtractor = brainExtractor;
        this.registration = registration;
        this.minRegistrationNcc = minRegistrationNcc;
    }

    /**
     * Both visits in canonical order, the registration that maps baseline points to follow-up points, the
     * baseline's brain mask (if extracted) and what preparation found. Models resample the follow-up through
     * {@code baselineToFollowUp} straight onto their own grid, so it is interpolated once, like the baseline.
     */
    public record PreparedPair(Volume baseline, Volume followUp, RigidTransform baselineToFollowUp,
            Optional<Volume> baselineBrainMask, Preparation record, List<ModelInfo> models) {
        /** The follow-up on the baseline's own grid (for models that work at the acquired resolution). */
        public Volume followUpOnBaseline() {
            return Resampler.resampleOnto(followUp, baseline, baselineToFollowUp);
        }
    }

    /** Thrown when a pair cannot be compared; the message is the reason a radiologist or an operator reads. */
    public static final class PreparationException extends Exception {
        public PreparationException(String message) {
            super(message);
        }
    }

    public PreparedPair prepare(Volume baselineAsStored, Volume followUpAsStored, Map<String, Long> stageMillis)
            throws PreparationException {
        String baselineOrientation = Reorienter.mapping(baselineAsStored).inputCode();
        String followUpOrientation = Reorienter.mapping(followUpAsStored).inputCode();
        Volume baseline = Steps.timed(stageMillis, "reorient-prior", () -> Reorienter.toCanonical(baselineAsStored));
        Volume followUp = Steps.timed(stageMillis, "reorient-current", () -> Reorienter.toCanonical(followUpAsStored));

        Optional<BrainExtraction> baselineBrain = Optional.empty();
        Optional<BrainExtraction> followUpBrain = Optional.empty();
        List<ModelInfo> models = new ArrayList<>();
        if (brainExtractor.isPresent()) {
            BrainExtractor extractor = brainExtractor.get();
            baselineBrain = Optional.of(Steps.timed(stageMillis, "brain-extraction-prior", () -> extractor.extract(baseline)));
            followUpBrain = Optional.of(Steps.timed(stageMillis, "brain-extraction-current", () -> extractor.extract(followUp)));
            models.add(extractor.info());
        }

        Volume mask = baselineBrain.map(BrainExtraction::mask).orElse(null);
        RigidRegistration.Result registered = Steps.timed(stageMillis, "registration",
                () -> registration.register(baseline, followUp, mask));

        // Parameters about the baseline volume's centre: a fixed, documented point, whatever the optimiser used.
        RigidTransform t = registered.transform().withCentre(baseline.centre());
        Preparation record = Preparation.newBuilder()
                .setPriorOrientation(baselineOrientation)
                .setCurrentOrientation(followUpOrientation)
                .setPriorBrainVolumeMl(baselineBrain.map(BrainExtraction::brainVolumeMl).orElse(null))
                .setCurrentBrainVolumeMl(followUpBrain.map(BrainExtraction::brainVolumeMl).orElse(null))
                .setRegistration(Registration.newBuilder()
                        .setMetric(mask == null ? "NCC" : "NCC within the baseline brain mask")
                        .setSimilarityBefore(registered.nccBefore())
                        .setSimilarityAfter(registered.ncc())
                        .setRotationDegrees(boxed(t.anglesDegrees()))
                        .setTranslationMm(boxed(t.translationMm()))
                        .build())
                .build();
        if (!(registered.ncc() >= minRegistrationNcc)) {
            throw new PreparationException(String.format(java.util.Locale.ROOT,
                    "registration quality check failed: NCC %.3f after registration is below %.2f; the two visits "
                            + "do not show the same anatomy well enough to compare", registered.ncc(),
                    minRegistrationNcc));
        }
        return new PreparedPair(baseline, followUp, registered.transform(), Optional.ofNullable(mask), record,
                models);
    }

    private static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(v);
        }
        return out;
    }
}
