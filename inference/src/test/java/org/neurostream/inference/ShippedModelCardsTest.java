package org.neurostream.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The registry as shipped: every models/&#42;/model-card.json has the fields issue 4 requires, its SHA-256s match
 * the SavedModel files on disk, and its inputs and outputs are the ones saved_model.pb declares.
 */
class ShippedModelCardsTest {
    private static final Path MODELS = Path.of(System.getProperty("neurostream.repo", "..")).toAbsolutePath()
            .normalize().resolve("models");

    @Test
    void everyShippedCardIsCompleteAndMatchesItsFiles() throws IOException {
        List<Path> folders;
        try (Stream<Path> list = Files.list(MODELS)) {
            folders = list.filter(d -> Files.isRegularFile(d.resolve(ModelCard.FILE_NAME))).sorted().toList();
        }
        assertThat(folders).extracting(d -> d.getFileName().toString()).contains("change-classifier",
                "tissue-segmentation-model11", "brain-extraction-mindgrab");
        for (Path folder : folders) {
            ModelCard card = ModelCard.read(folder);
            assertThat(ModelFolder.missingFields(card)).as(folder + " missing fields").isEmpty();
            // Checked here by hand as well as by ModelFolder, so a bug there cannot hide a stale card.
            assertThat(Sha256.of(folder.resolve("saved_model.pb"))).as(folder + " saved_model.pb")
                    .isEqualTo(card.savedModelSha256());
            Map<String, String> others = ModelFolder.otherFiles(folder);
            assertThat(others).as(folder + " other SavedModel files").isEqualTo(
                    card.filesSha256() == null ? Map.of() : card.filesSha256());
            ModelFolder opened = ModelFolder.open(folder).requireComplete();
            opened.checkSignatureMatchesCard();
            assertThat(opened.signature().key()).isEqualTo("serving_default");
            assertThat(opened.sha256()).isEqualTo(card.savedModelSha256());
            assertThat(card.name()).isEqualTo(folder.getFileName().toString());
            assertThat(folder.resolve("MODEL_CARD.md")).as(folder + " MODEL_CARD.md").isRegularFile();
        }
    }
}
