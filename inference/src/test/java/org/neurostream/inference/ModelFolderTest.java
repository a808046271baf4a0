package org.neurostream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.inference.graph.SavedModelWriter;
import org.neurostream.inference.graph.SavedModelWriter.SignatureTensor;
import org.neurostream.inference.graph.TfGraphBuilder;

/** Registry entries: checksums of every SavedModel file, required card fields, card against signature. */
class ModelFolderTest {
    private static final List<Long> VOLUME = List.of(1L, -1L, -1L, -1L, 1L);

    /** A one-op SavedModel (input "scan" → output "output_0", Keras-style keys) and a complete card. */
    private static ModelCard write(Path dir) throws IOException {
        TfGraphBuilder g = new TfGraphBuilder();
        String input = g.placeholder("serving_default_scan", 1, -1, -1, -1, 1);
        g.sigmoid("StatefulPartitionedCall", input);
        Path pb = SavedModelWriter.write(dir, g.build(), List.of(new SignatureTensor("scan", input, 1, -1, -1, -1, 1)),
                List.of(new SignatureTensor("output_0", "StatefulPartitionedCall", 1, -1, -1, -1, 1)));
        ModelCard card = new ModelCard("test", "1.0.0", "test", "one sigmoid",
                List.of(new ModelCard.TensorSpec("scan", "float32", VOLUME, "NDHWC", "a volume")),
                List.of(new ModelCard.TensorSpec("output_0", "float32", VOLUME, "NDHWC", "p")),
                new ModelCard.Preprocessing(List.of(8, 8, 8), List.of(1.0, 1.0, 1.0), "none", 0, 100, "min-max"),
                ModelCard.Training.ofData("none"), null, Sha256.of(pb), null, null)
                .withMetrics(List.of(new ModelCard.Metric("none", 0, "none")));
        card.write(dir);
        return card;
    }

    private static ModelCard withFiles(ModelCard c, Map<String, String> files) {
        return new ModelCard(c.name(), c.version(), c.description(), c.architecture(), c.inputs(), c.outputs(),
                c.preprocessing(), c.training(), c.evaluation(), c.metrics(), c.savedModelSha256(), files,
                c.signatureKey(), c.limitations(), c.retrain(), c.source(), c.licence());
    }

    @Test
    void aFrozenModelIsIdentifiedByItsGraphsChecksum(@TempDir Path dir) throws IOException {
        ModelCard card = write(dir);
        ModelFolder folder = ModelFolder.open(dir).requireComplete();
        folder.checkSignatureMatchesCard();
        assertThat(folder.sha256()).isEqualTo(card.savedModelSha256());
        assertThat(folder.signature().inputs()).containsOnlyKeys("scan");
        assertThat(folder.signature().outputs()).containsOnlyKeys("output_0");
    }

    @Test
    void everyOtherSavedModelFileMustBeListedAndMatch(@TempDir Path dir) throws IOException {
        ModelCard card = write(dir);
        Files.writeString(dir.resolve("variables").resolve("variables.index"), "weights index");
        Files.writeString(dir.resolve("notes.txt"), "not part of the SavedModel: not hashed");
        assertThatThrownBy(() -> ModelFolder.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("variables/variables.index").hasMessageContaining("not listed in filesSha256");

        String indexSha = Sha256.of(dir.resolve("variables/variables.index"));
        withFiles(card, Map.of("variables/variables.index", indexSha)).write(dir);
        ModelFolder folder = ModelFolder.open(dir);
        // With weights beside the graph, the identity covers both.
        assertThat(folder.sha256()).hasSize(64).isNotEqualTo(card.savedModelSha256())
                .isEqualTo(ModelFolder.digest(card.savedModelSha256(), Map.of("variables/variables.index", indexSha)));

        Files.writeString(dir.resolve("variables").resolve("variables.index"), "other weights");
        assertThatThrownBy(() -> ModelFolder.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("variables/variables.index in " + dir)
                .hasMessageContaining("model card says " + indexSha);

        Files.delete(dir.resolve("variables").resolve("variables.index"));
        assertThatThrownBy(() -> ModelFolder.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("variables/variables.index is listed").hasMessageContaining("missing");
    }

    @Test
    void aChangedGraphIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        write(dir);
        Files.write(dir.resolve("saved_model.pb"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ModelFolder.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("saved_model.pb in " + dir).hasMessageContaining("model card says");
    }

    @Test
    void anIncompleteCardIsRefusedNamingEveryMissingField(@TempDir Path dir) throws IOException {
        ModelCard c = write(dir);
        new ModelCard(c.name(), " ", null, null, c.inputs(),
                List.of(new ModelCard.TensorSpec("output_0", null, null, null, null)), c.preprocessing(), null,
                null, null, c.savedModelSha256(), null, null, null, null, null, null).write(dir);
        ModelFolder folder = ModelFolder.open(dir);
        assertThatThrownBy(folder::requireComplete).isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("model-card.json").toString())
                .hasMessageContaining("version, outputs[0].dtype, outputs[0].shape, training.data, "
                        + "metrics (or evaluation)");
        assertThat(ModelFolder.missingFields(ModelCard.read(dir))).doesNotContain("name", "inputs", "preprocessing",
                "savedModelSha256");
    }

    @Test
    void aCardWhoseTensorsAreNotTheSignaturesIsRefusedWithWhatTheSignatureHolds(@TempDir Path dir)
            throws IOException {
        ModelCard c = write(dir);
        new ModelCard(c.name(), c.version(), null, null,
                List.of(new ModelCard.TensorSpec("volume", "float32", VOLUME, null, null)), c.outputs(),
                c.preprocessing(), c.training(), null, c.savedModelSha256(), null, null).write(dir);
        assertThatThrownBy(() -> ModelFolder.open(dir).checkSignatureMatchesCard()).isInstanceOf(IOException.class)
                .hasMessageContaining("[volume]").hasMessageContaining("'scan' DT_FLOAT [1, -1, -1, -1, 1]");

        new ModelCard(c.name(), c.version(), null, null, c.inputs(),
                List.of(new ModelCard.TensorSpec("output_0", "float32", List.of(-1L, 2L), null, null)),
                c.preprocessing(), c.training(), null, c.savedModelSha256(), null, null).write(dir);
        assertThatThrownBy(() -> ModelFolder.open(dir).checkSignatureMatchesCard()).isInstanceOf(IOException.class)
                .hasMessageContaining("output 'output_0' has shape [1, -1, -1, -1, 1]");
    }

    @Test
    void anUnknownSignatureKeyIsRefusedListingTheKeysThereAre(@TempDir Path dir) throws IOException {
        ModelCard c = write(dir);
        new ModelCard(c.name(), c.version(), null, null, c.inputs(), c.outputs(), c.preprocessing(), c.training(),
                null, null, c.savedModelSha256(), null, "predict", null, null, null, null).write(dir);
        assertThatThrownBy(() -> ModelFolder.open(dir).signature()).isInstanceOf(IOException.class)
                .hasMessageContaining("no signature 'predict'").hasMessageContaining("[serving_default]");
    }

    @Test
    void aFolderWithoutACardSaysWhatIsMissing(@TempDir Path dir) {
        assertThatThrownBy(() -> ModelFolder.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("has no model-card.json");
    }
}
