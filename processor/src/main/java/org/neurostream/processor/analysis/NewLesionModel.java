package org.neurostream.processor.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.neurostream.imaging.Volume;
import org.neurostream.inference.lesions.DetectedLesion;
import org.neurostream.inference.lesions.NewLesionInputs;
import org.neurostream.inference.lesions.NewLesionMap;
import org.neurostream.inference.lesions.NewLesionSegmenter;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.processor.preparation.Steps;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.LabelMap;
import org.neurostream.schemas.Lesion;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.NewLesions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The new-lesion segmenter (DJL TensorFlow) as a {@link PairModel} for FLAIR pairs: the baseline is resampled onto
 * the follow-up's grid through the registration (the follow-up itself is never interpolated), the segmenter finds
 * the new lesions there, and their mask goes back onto the follow-up series' stored frames as a {@link LabelMap}
 * (value 1 = new lesion, one segment in the SEG; the SR lists each lesion with its own figures).
 */
public final class NewLesionModel implements PairModel {
    /** The stage timing of resampling plus segmentation. */
    public static final String STAGE = "new-lesions";
    /** The stage timing of taking the mask back onto the stored frames and writing it to the blob store. */
    public static final String MASK_STAGE = "new-lesion-mask";
    /** A lesion whose centre lies within this of the head's centre (left-right) is called midline. */
    static final double MIDLINE_MM = 5;
    static final Map<String, String> MASK_LABELS = Map.of("1", "new lesion");
    private static final Logger LOG = LoggerFactory.getLogger(NewLesionModel.class);

    private final NewLesionSegmenter segmenter;
    private final ModelInfo info;

    public NewLesionModel(NewLesionSegmenter segmenter) {
        this.segmenter = segmenter;
        this.info = PairAnalyzer.toSchema(segmenter.info());
    }

    @Override
    public void analyse(Inputs inputs, Map<String, Long> stageMillis, AnalysisResult.Builder result)
            throws Exception {
        NewLesionMap found = detect(inputs.prepared(), stageMillis);
        LabelMap mask = Steps.timed(stageMillis, MASK_STAGE, () -> inputs.followUpAsStored()
                .labelMap(found.binary(), MASK_LABELS, inputs.blobs()));
        result.setNewLesions(newLesions(found, headCentreX(inputs.prepared().followUp()), mask));
        LOG.info("follow-up series {}: {} new lesion(s), {} mL; segmentation {} ms, mask onto {} frames {} ms",
                result.getCurrent().getSeriesInstanceUid(),
                found.count(), String.format(java.util.Locale.ROOT, "%.3f", found.totalVolumeMl()),
                stageMillis.get(STAGE), mask.getFrameSopInstanceUids().size(), stageMillis.get(MASK_STAGE));
    }

    /** The new lesions of the prepared pair, on the (canonical) follow-up's grid. */
    public NewLesionMap detect(PairPreparation.PreparedPair pair, Map<String, Long> stageMillis) {
        return Steps.timed(stageMillis, STAGE, () -> segmenter.detect(NewLesionInputs.baselineOnFollowUp(
                pair.baseline(), pair.followUp(), pair.baselineToFollowUp()), pair.followUp()));
    }

    static NewLesions newLesions(NewLesionMap found, double headCentreX, LabelMap mask) {
        List<Lesion> lesions = new ArrayList<>(found.count());
        for (DetectedLesion d : found.lesions()) {
            double[] c = d.centroidMm();
            lesions.add(Lesion.newBuilder()
                    .setLabel(d.label())
                    .setVolumeMl(d.volumeMl())
                    .setCentroidMm(List.of(c[0], c[1], c[2]))
                    .setLocation(side(c[0], headCentreX))
                    .setMeanProbability(d.meanProbability())
                    .build());
        }
        return NewLesions.newBuilder()
                .setCount(found.count())
                .setTotalVolumeMl(found.totalVolumeMl())
                .setThreshold(found.threshold())
                .setMinLesionVolumeMl(found.minLesionVolumeMl())
                .setLesions(lesions)
                .setMask(mask)
                .build();
    }

    /** LPS: x grows towards the patient's left. */
    static String side(double x, double headCentreX) {
        double offset = x - headCentreX;
        if (Math.abs(offset) <= MIDLINE_MM) {
            return "midline";
        }
        return offset > 0 ? "left hemisphere" : "right hemisphere";
    }

    /**
     * The patient x (mm) of the centre of the head's voxels (those above the volume's mean; FLAIR background is
     * dark): the head is nearly symmetric left-right, so this is the midline to within a few mm.
     */
    static double headCentreX(Volume v) {
        float[] data = v.data();
        double sum = 0;
        for (float x : data) {
            sum += x;
        }
        double mean = sum / data.length;
        double si = 0;
        double sj = 0;
        double sk = 0;
        long count = 0;
        for (int k = 0, n = 0; k < v.nz(); k++) {
            for (int j = 0; j < v.ny(); j++) {
                for (int i = 0; i < v.nx(); i++, n++) {
                    if (data[n] > mean) {
                        si += i;
                        sj += j;
                        sk += k;
                        count++;
                    }
                }
            }
        }
        if (count == 0) {
            return v.centre()[0];
        }
        return v.toPatient(si / count, sj / count, sk / count)[0];
    }

    @Override
    public ModelInfo info() {
        return info;
    }
}
