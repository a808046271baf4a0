package org.neurostream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.config.Settings;
import org.neurostream.processor.pairing.SeriesKind.Kind;

/** Which series kinds are analysed follows the configured models; a kind named without a model stops start-up. */
class ProcessorConfigTest {
    private static final Path CLASSIFIER = Path.of(System.getProperty("neurostream.repo", "..")).toAbsolutePath()
            .normalize().resolve("models").resolve("change-classifier");

    @TempDir
    Path dir;

    private ProcessorConfig config(String... keyValues) {
        Properties props = new Properties();
        props.setProperty("kafka.bootstrap.servers", "unused:9092");
        props.setProperty("blobstore.root", dir.resolve("blobs").toString());
        props.setProperty("processor.model-dir", CLASSIFIER.toString());
        for (int n = 0; n < keyValues.length; n += 2) {
            props.setProperty(keyValues[n], keyValues[n + 1]);
        }
        return ProcessorConfig.from(new Settings(props, Map.of()));
    }

    @Test
    void withoutALesionModelOnlyT1PairsAreAnalysed() {
        assertThat(config().analysedKinds()).containsExactly(Kind.T1_3D);
        assertThat(config().lesionModelDir()).isEmpty();
    }

    @Test
    void aLesionModelAloneTurnsFlairAnalysisOn() {
        ProcessorConfig c = config("processor.lesion-model-dir", "models/new-lesion-segmenter");
        assertThat(c.analysedKinds()).containsExactlyInAnyOrder(Kind.T1_3D, Kind.FLAIR_3D);
        assertThat(c.lesionModelDir()).hasValue(Path.of("models/new-lesion-segmenter"));
    }

    @Test
    void anExplicitListMayLeaveAKindOutButNotNameOneWithoutAModel() {
        assertThat(config("processor.lesion-model-dir", "models/new-lesion-segmenter",
                "processor.analysed-kinds", "T1_3D").analysedKinds()).containsExactly(Kind.T1_3D);
        assertThatThrownBy(() -> config("processor.analysed-kinds", "T1_3D,FLAIR_3D"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("processor.analysed-kinds").hasMessageContaining("FLAIR_3D")
                .hasMessageContaining("processor.lesion-model-dir");
        assertThatThrownBy(() -> config("processor.analysed-kinds", "FLAIR_2D"))
                .hasMessageContaining("processor.analysed-kinds").hasMessageContaining("FLAIR_2D");
    }

    @Test
    void aLesionModelFolderWithoutACardIsRefusedAtStartUpNamingTheSetting() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("not-a-model"));
        assertThatThrownBy(() -> config("processor.lesion-model-dir", empty.toString()).loadModels())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("processor.lesion-model-dir = " + empty);
    }
}
