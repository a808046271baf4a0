package org.neurostream.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.morphology.Masks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grey/white matter segmentation of a T1 with the converted brainchop MeshNet "model11_gw_ae"
 * (models/tissue-segmentation-model11), plus the CSF and ventricles the model does not label.
 *
 * <p>The model classes each voxel as background, white or grey matter. CSF is what lies inside the intracranial
 * envelope but is neither: the envelope is the parenchyma closed with a {@value #ENVELOPE_CLOSING_MM} mm ball (which
 * bridges sulci) with its cavities filled. Ventricles are the parenchyma's own enclosed cavities, the CSF that the
 * parenchyma surrounds on every side. Both are approximations that need no atlas; they are stated in the model card
 * and in every report that shows them.
 */
public final class TissueSegmenter implements AutoCloseable {
    /** Output label values on {@link TissueSegmentation#labels()}. */
    public static final int CSF = 1;
    public static final int GREY = 2;
    public static final int WHITE = 3;
    /** Model classes (brainchop's colormap3): 0 background, 1 white matter, 2 grey matter. */
    static final int MODEL_WHITE = 1;
    static final int MODEL_GREY = 2;
    static final double ENVELOPE_CLOSING_MM = 3.0;
    private static final Logger LOG = LoggerFactory.getLogger(TissueSegmenter.class);

    private final ConformedSegmenter segmenter;

    private TissueSegmenter(ConformedSegmenter segmenter) {
        this.segmenter = segmenter;
    }

    public static TissueSegmenter load(Path modelDirectory) throws IOException {
        return new TissueSegmenter(ConformedSegmenter.load(modelDirectory, "tissue segmentation"));
    }

    /** Tissue labels on the conformed 1 mm grid (LPS voxel order) and the volumes they give. */
    public TissueSegmentation segment(Volume t1) {
        long start = System.nanoTime();
        ConformedSegmenter.Output output = segmenter.run(t1);
        Volume classes = output.argmax();
        TissueSegmentation segmentation = fromModelClasses(classes, segmenter.info(),
                Duration.ofNanos(System.nanoTime() - start), output.inference());
        LOG.info("tissue segmentation: grey {} mL, white {} mL, CSF {} mL in {} ms (model {} ms)",
                Math.round(segmentation.greyMl()), Math.round(segmentation.whiteMl()),
                Math.round(segmentation.csfMl()), segmentation.elapsed().toMillis(),
                segmentation.inference().toMillis());
        return segmentation;
    }

    /** Labels and volumes from the model's classes (0 background, 1 white, 2 grey) on any grid. */
    static TissueSegmentation fromModelClasses(Volume classes, ModelInfo model, Duration elapsed,
            Duration inference) {
        boolean[] white = Masks.of(classes, MODEL_WHITE);
        boolean[] grey = Masks.of(classes, MODEL_GREY);
        boolean[] parenchyma = Masks.or(white, grey);
        boolean[] closed = Masks.close(parenchyma, classes, ENVELOPE_CLOSING_MM);
        boolean[] envelope = Masks.or(closed, Masks.holes(closed, classes));
        boolean[] ventricles = Masks.holes(parenchyma, classes);
        float[] labels = new float[parenchyma.length];
        for (int n = 0; n < labels.length; n++) {
            labels[n] = white[n] ? WHITE : grey[n] ? GREY : envelope[n] ? CSF : 0;
        }
        double voxelMl = Masks.voxelMl(classes);
        return new TissueSegmentation(classes.withData(labels), Masks.count(grey) * voxelMl,
                Masks.count(white) * voxelMl, (Masks.count(envelope) - Masks.count(parenchyma)) * voxelMl,
                Masks.count(ventricles) * voxelMl, model, elapsed, inference);
    }

    public ModelInfo info() {
        return segmenter.info();
    }

    @Override
    public void close() {
        segmenter.close();
    }
}
