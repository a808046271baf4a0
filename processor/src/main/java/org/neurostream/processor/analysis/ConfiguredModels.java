package org.neurostream.processor.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.neurostream.inference.BrainExtractor;
import org.neurostream.inference.ChangeClassifier;
import org.neurostream.inference.ModelFolder;
import org.neurostream.inference.TissueSegmenter;
import org.neurostream.inference.lesions.NewLesionSegmenter;
import org.neurostream.processor.pairing.SeriesKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models the processor's configuration names, loaded from the registry: each folder's card must be complete
 * and its SavedModel files must match the card's SHA-256s, or the processor does not start (the error names the
 * folder and the field or file). A site's own model (models/README.md, "Bring your own") plugs in the same way,
 * by pointing {@code processor.model-dir} at its folder.
 */
public final class ConfiguredModels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredModels.class);

    private final Map<SeriesKind.Kind, List<PairModel>> pairModels;
    private final Optional<BrainExtractor> brainExtractor;
    private final List<AutoCloseable> owned;

    private ConfiguredModels(Map<SeriesKind.Kind, List<PairModel>> pairModels, Optional<BrainExtractor> brainExtractor,
            List<AutoCloseable> owned) {
        this.pairModels = Collections.unmodifiableMap(pairModels);
        this.brainExtractor = brainExtractor;
        this.owned = owned;
    }

    /**
     * Checks every configured folder first (cards and checksums, cheap), then loads the models (slow): a broken
     * tissue model is reported before minutes go into loading a classifier.
     *
     * @param classifierDir the change classifier (processor.model-dir)
     * @param tissueDir     the tissue segmenter (processor.tissue-model-dir), if configured
     * @param lesionDir     the new-lesion segmenter for FLAIR pairs (processor.lesion-model-dir), if configured
     * @param brainDir      brain extraction for preparation (processor.brain-extraction-model-dir), if configured
     */
    public static ConfiguredModels load(Path classifierDir, Optional<Path> tissueDir, Optional<Path> lesionDir,
            Optional<Path> brainDir) throws IOException {
        ModelFolder classifierFolder = verified("processor.model-dir", classifierDir);
        Optional<ModelFolder> tissueFolder = tissueDir.isPresent()
                ? Optional.of(verified("processor.tissue-model-dir", tissueDir.get())) : Optional.empty();
        Optional<ModelFolder> lesionFolder = lesionDir.isPresent()
                ? Optional.of(verified("processor.lesion-model-dir", lesionDir.get())) : Optional.empty();
        if (brainDir.isPresent()) {
            verified("processor.brain-extraction-model-dir", brainDir.get());
        }
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            ChangeClassifier classifier = ChangeClassifier.load(classifierFolder);
            owned.add(classifier);
            Map<SeriesKind.Kind, List<PairModel>> models = new EnumMap<>(SeriesKind.Kind.class);
            List<PairModel> t1 = new ArrayList<>();
            t1.add(new ClassifierChangeModel(classifier));
            if (tissueFolder.isPresent()) {
                TissueSegmenter tissue = TissueSegmenter.load(tissueFolder.get().directory());
                owned.add(tissue);
                t1.add(new TissueChangeModel(tissue));
            } else {
                LOG.info("tissue segmentation is off (processor.tissue-model-dir is empty): no volumes or PBVC");
            }
            models.put(SeriesKind.Kind.T1_3D, List.copyOf(t1));
            if (lesionFolder.isPresent()) {
                NewLesionSegmenter lesions = NewLesionSegmenter.load(lesionFolder.get());
                owned.add(lesions);
                models.put(SeriesKind.Kind.FLAIR_3D, List.of(new NewLesionModel(lesions)));
            } else {
                LOG.info("new-lesion segmentation is off (processor.lesion-model-dir is empty): FLAIR pairs are not "
                        + "analysed, FLAIR series are kept as priors");
            }
            Optional<BrainExtractor> brain = Optional.empty();
            if (brainDir.isPresent()) {
                brain = Optional.of(BrainExtractor.load(brainDir.get()));
                owned.add(brain.get());
            } else {
                LOG.info("brain extraction is off (processor.brain-extraction-model-dir is empty): registration "
                        + "uses the whole field of view");
            }
            return new ConfiguredModels(models, brain, owned);
        } catch (IOException | RuntimeException | Error e) {
            closeAll(owned);
            throw e;
        }
    }

    /** The folder, checked against its card, or an error that says which setting pointed at it. */
    static ModelFolder verified(String setting, Path directory) throws IOException {
        try {
            return ModelFolder.open(directory).requireComplete();
        } catch (IOException e) {
            throw new IOException(setting + " = " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The models that analyse a prepared pair, per series kind, in order: T1_3D the change classifier, then the
     * tissue model; FLAIR_3D the new-lesion segmenter. A kind without an entry is not analysed.
     */
    public Map<SeriesKind.Kind, List<PairModel>> pairModels() {
        return pairModels;
    }

    /** The series kinds that have a model when these settings are loaded (the default processor.analysed-kinds). */
    public static Set<SeriesKind.Kind> kindsWithModels(Optional<Path> lesionDir) {
        return lesionDir.isPresent() ? EnumSet.of(SeriesKind.Kind.T1_3D, SeriesKind.Kind.FLAIR_3D)
                : EnumSet.of(SeriesKind.Kind.T1_3D);
    }

    /** Brain extraction for preparation, when configured. */
    public Optional<BrainExtractor> brainExtractor() {
        return brainExtractor;
    }

    @Override
    public void close() {
        closeAll(owned);
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
