package org.neurostream.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.inference.ChangeClassifierPreprocessing;
import org.neurostream.inference.ModelCard;

class ChangeClassifierModelCardTest {
    @Test
    void writesAJsonCardServingCanReadAndAMarkdownCardPeopleCan(@TempDir Path dir) throws Exception {
        ModelCard.Training training = new ModelCard.Training("synthetic phantoms", 1, 96, 192, 300, 8,
                ChangeClassifierTrainer.OPTIMIZER, "softmax cross-entropy", 0.7, 0.1, 160.0, "PyTorch");
        ModelCard card = ChangeClassifierModelCard.create("1.0.0", ChangeClassifierPreprocessing.STANDARD, training,
                "ab".repeat(32)).withEvaluation(new ModelCard.Evaluation("held out", 1001, 200, 0.95, 0.96, 0.94,
                        "TensorFlow"));
        ChangeClassifierModelCard.write(card, dir);

        ModelCard read = ModelCard.read(dir);
        assertThat(read).isEqualTo(card);
        assertThat(read.preprocessing().gridSize()).containsExactly(48, 48, 48);
        assertThat(read.preprocessing().spacingMm()).containsExactly(4.0, 4.0, 4.0);
        assertThat(read.preprocessing().lowPercentile()).isEqualTo(1);
        assertThat(read.preprocessing().highPercentile()).isEqualTo(99);

        String markdown = Files.readString(dir.resolve("MODEL_CARD.md"));
        assertThat(markdown).contains("change-classifier 1.0.0", "not real patients", "not clinically validated",
                "ab".repeat(32), "Accuracy: 0.9500", "[48, 48, 48]", "How to retrain");
    }
}
