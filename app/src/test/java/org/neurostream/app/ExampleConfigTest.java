package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurostream.config.Settings;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.processor.ProcessorConfig;
import org.neurostream.sink.SinkConfig;

/** The example file the README points to configures all three services as documented. */
class ExampleConfigTest {
    private static final Path EXAMPLE = Repo.root().resolve("examples/neurostream.properties");

    @Test
    void everyServiceReadsTheExampleWithTheSaltFromTheEnvironment() throws Exception {
        Settings settings = Settings.load(EXAMPLE, Map.of("NEUROSTREAM_PATIENT_KEY_SALT", "site-secret",
                "NEUROSTREAM_SINK_PACS_HOST", "pacs-b.hospital.local"));
        IngestConfig ingest = IngestConfig.from(settings);
        ProcessorConfig processor = ProcessorConfig.from(settings);
        SinkConfig sink = SinkConfig.from(settings);

        assertThat(ingest.port()).isEqualTo(11112);
        assertThat(processor.replicationFactor()).isEqualTo(3);
        assertThat(processor.priorFetch()).hasValueSatisfying(f -> {
            assertThat(f.pacsPort()).isEqualTo(104);
            assertThat(f.moveDestination()).isEqualTo(ingest.aeTitle());
        });
        assertThat(processor.priorRules().minIntervalDays()).isEqualTo(30);
        assertThat(processor.brainExtractionModelDir()).isEmpty();
        assertThat(processor.tissueModelDir()).hasValue(Path.of("/opt/neurostream/models/tissue-segmentation-model11"));
        // The lesion model alone turns FLAIR pairs on; analysed-kinds is left to follow the models.
        assertThat(processor.lesionModelDir()).hasValue(Path.of("/opt/neurostream/models/new-lesion-segmenter"));
        assertThat(processor.analysedKinds()).containsExactlyInAnyOrder(
                org.neurostream.processor.pairing.SeriesKind.Kind.T1_3D,
                org.neurostream.processor.pairing.SeriesKind.Kind.FLAIR_3D);
        assertThat(processor.blobStoreRoot()).isEqualTo(ingest.blobStoreDir()).isEqualTo(sink.blobStoreRoot());
        assertThat(sink.pacsHost()).isEqualTo("pacs-b.hospital.local");
        assertThat(sink.pacsPort()).isEqualTo(104);
        assertThat(sink.folderEnabled()).isFalse();
        assertThat(sink.retry().attempts()).isZero();
        assertThat(sink.retry().maxElapsed()).isEqualTo(java.time.Duration.ofHours(12));
    }

    @Test
    void withoutTheSaltIngestRefusesToStartAndSaysWhichKey() throws Exception {
        Settings settings = Settings.load(EXAMPLE, Map.of());
        assertThatThrownBy(() -> IngestConfig.from(settings)).hasMessageContaining("patient.key.salt");
    }
}
