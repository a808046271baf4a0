package org.neurostream.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.morphology.Masks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skull stripping with the converted brainchop "mindgrab" MeshNet (models/brain-extraction-mindgrab).
 *
 * <p>{@link #extract} takes a volume in any orientation, runs the model on its conformed copy
 * ({@link ConformedSegmenter}), keeps voxels whose brain-class probability exceeds 0.5 and maps the mask back onto
 * the input's own grid (nearest neighbour through patient coordinates). Safe for concurrent callers.
 */
public final class BrainExtractor implements AutoCloseable {
    public static final int BRAIN_CLASS = 1;
    public static final double THRESHOLD = 0.5;
    private static final Logger LOG = LoggerFactory.getLogger(BrainExtractor.class);

    private final ConformedSegmenter segmenter;

    private BrainExtractor(ConformedSegmenter segmenter) {
        this.segmenter = segmenter;
    }

    /** Loads the model in {@code modelDirectory}; fails if saved_model.pb does not match its card's checksum. */
    public static BrainExtractor load(Path modelDirectory) throws IOException {
        return new BrainExtractor(ConformedSegmenter.load(modelDirectory, "brain extraction"));
    }

    /** The brain mask of {@code volume} on its own grid, with the brain volume and timings. */
    public BrainExtraction extract(Volume volume) {
        long start = System.nanoTime();
        ConformedSegmenter.Output output = segmenter.run(volume);
        float[] brain = output.probability(BRAIN_CLASS).data();
        for (int n = 0; n < brain.length; n++) {
            brain[n] = brain[n] > THRESHOLD ? 1f : 0f;
        }
        Volume mask = ConformedVolume.nearestOnto(output.conformed().grid().withData(brain), volume);
        double millilitres = Masks.volumeMl(mask, 1f);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        LOG.info("brain extraction: {} mL in {} ms (model {} ms)", Math.round(millilitres), elapsed.toMillis(),
                output.inference().toMillis());
        return new BrainExtraction(mask, millilitres, elapsed, output.inference(), segmenter.info());
    }

    public ModelInfo info() {
        return segmenter.info();
    }

    public ModelCard card() {
        return segmenter.card();
    }

    @Override
    public void close() {
        segmenter.close();
    }
}
