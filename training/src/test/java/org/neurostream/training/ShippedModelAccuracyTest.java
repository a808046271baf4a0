package org.neurostream.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.inference.ModelCard;

/**
 * The model the repository ships still meets its bar on phantoms no training run saw (a change to the phantoms
 * or the preprocessing that silently breaks the model fails here). Runs on a copy so the card is left alone.
 */
class ShippedModelAccuracyTest {
    @TempDir
    Path dir;

    @Test
    void shippedChangeClassifierIsAtLeast90PercentAccurateOn100HeldOutPairs() throws IOException {
        Path shipped = Path.of(System.getProperty("neurostream.repo", "..")).resolve("models/change-classifier");
        Path copy = dir.resolve("model");
        copyTree(shipped, copy);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        EvaluateCommand.Result result = EvaluateCommand.run(new EvaluateCommand.Options(copy,
                EvaluateCommand.DEFAULT_SEED, 100, dir.resolve("cache")), new PrintStream(printed, true,
                StandardCharsets.UTF_8));

        assertThat(result.pairs()).isEqualTo(100);
        assertThat(result.accuracy()).isGreaterThanOrEqualTo(0.90);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("100 held-out pairs: accuracy");
        assertThat(ModelCard.read(copy).evaluation().pairs()).isEqualTo(100);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
