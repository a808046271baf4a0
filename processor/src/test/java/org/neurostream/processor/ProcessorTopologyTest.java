package org.neurostream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.processor.analysis.PairModel;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.processor.analysis.PairAnalyzer;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.processor.pairing.SeriesFixtures;
import org.neurostream.processor.pairing.SeriesKind;
import org.neurostream.processor.priorfetch.PriorFetcher;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.DeadLetter;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;

/**
 * The topology's Kafka edge with Kafka's own test driver: history, re-sends, ignored series and the dead-letter
 * branch. The events point at blobs that are not in the (real, empty) blob store, so every pairing that reaches
 * analysis must end as a rejection with the reason; the model must never be asked.
 */
class ProcessorTopologyTest {
    @TempDir
    Path dir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, SeriesReceived> series;
    private TestOutputTopic<String, AnalysisResult> results;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    /** Reaching the model with unloadable series would be a bug in the analyzer. */
    private static final PairModel MUST_NOT_RUN = new PairModel() {
        @Override
        public void analyse(Inputs inputs, Map<String, Long> stageMillis, AnalysisResult.Builder result) {
            throw new AssertionError("the model must not run on series that could not be assembled");
        }

        @Override
        public ModelInfo info() {
            throw new AssertionError("not expected");
        }
    };

    @BeforeEach
    void start() throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        PairAnalyzer analyzer = new PairAnalyzer(new FileBlobStore(dir.resolve("blobs")),
                new PairPreparation(Optional.empty(), new RigidRegistration(), 0.3),
                Map.of(SeriesKind.Kind.T1_3D, List.of(MUST_NOT_RUN)));
        ProcessorConfig config = ProcessorConfig.from(new org.neurostream.config.Settings(new Properties(), Map.of(
                "NEUROSTREAM_KAFKA_BOOTSTRAP_SERVERS", "unused:9092", "NEUROSTREAM_BLOBSTORE_ROOT", dir.toString())));
        driver = new TopologyTestDriver(ProcessorTopology.build(config.pairing(), analyzer, PriorFetcher.NONE,
                Duration.ofSeconds(1)), props);
        series = driver.createInputTopic(Topics.SERIES_RECEIVED, new StringSerializer(),
                AvroSerde.of(SeriesReceived.class).serializer());
        results = driver.createOutputTopic(Topics.ANALYSIS_RESULTS, new StringDeserializer(),
                AvroSerde.of(AnalysisResult.class).deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS, new StringDeserializer(),
                AvroSerde.of(DeadLetter.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void firstVisitHasNoPriorAndAResendChangesNothing() {
        SeriesReceived baseline = SeriesFixtures.t1("1.1", "20240105").build();
        series.pipeInput("pk", baseline);
        series.pipeInput("pk", baseline);
        assertThat(results.readValuesToList()).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(AnalysisStatus.NO_PRIOR);
            assertThat(r.getReason()).startsWith("no prior");
            assertThat(r.getCreatedAtMillis()).isEqualTo(baseline.getCompletedAtMillis());
        });
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void ignoredSeriesNeitherProduceResultsNorBecomePriors() {
        series.pipeInput("pk", SeriesFixtures.t1("1.1", "20240105").setSeriesDescription("DWI").build());
        series.pipeInput("pk", SeriesFixtures.t1("1.1", "20240105").setSeriesInstanceUid("1.1.2")
                .setSeriesDescription("AX FLAIR").build());
        assertThat(results.isEmpty()).isTrue();
        series.pipeInput("pk", SeriesFixtures.t1("1.2", "20250105").build());
        assertThat(results.readValue().getStatus()).isEqualTo(AnalysisStatus.NO_PRIOR);
    }

    @Test
    void aFollowUpThatCannotBeLoadedIsRejectedAndDeadLetteredAndOtherPatientsGoOn() {
        series.pipeInput("pk", SeriesFixtures.t1("1.1", "20240105").build());
        series.pipeInput("pk", SeriesFixtures.t1("1.2", "20250107").build());
        series.pipeInput("other", SeriesFixtures.t1("2.1", "20250107").setPatientKey("other").build());

        var all = results.readKeyValuesToList();
        assertThat(all).hasSize(3);
        AnalysisResult rejected = all.get(1).value;
        assertThat(rejected.getStatus()).isEqualTo(AnalysisStatus.REJECTED);
        assertThat(rejected.getPrior().getStudyInstanceUid()).isEqualTo("1.1");
        assertThat(rejected.getIntervalDays()).isEqualTo(368);
        assertThat(rejected.getReason()).contains("analysis failed").contains("series 1.1.1").contains("not in the blob store");
        assertThat(all.get(2).key).isEqualTo("other");
        assertThat(all.get(2).value.getStatus()).isEqualTo(AnalysisStatus.NO_PRIOR);

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getStage()).isEqualTo("processor");
        assertThat(letter.getReason()).isEqualTo(rejected.getReason());
        assertThat(AvroSerde.of(AnalysisResult.class).fromBytes(letter.getPayload().array())).isEqualTo(rejected);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aPriorArrivingAfterItsFollowUpGivesTheFollowUpANewResultThatSupersedesTheFirst() {
        SeriesReceived followUp = SeriesFixtures.t1("1.2", "20250107").build();
        series.pipeInput("pk", followUp);
        AnalysisResult first = results.readValue();
        assertThat(first.getStatus()).isEqualTo(AnalysisStatus.NO_PRIOR);

        series.pipeInput("pk", SeriesFixtures.t1("1.1", "20240105").build());
        var next = results.readValuesToList();
        assertThat(next).hasSize(2);
        assertThat(next).filteredOn(r -> r.getCurrent().getStudyInstanceUid().equals("1.1")).singleElement()
                .satisfies(r -> assertThat(r.getSupersedes()).isNull());
        assertThat(next).filteredOn(r -> r.getCurrent().getStudyInstanceUid().equals("1.2")).singleElement()
                .satisfies(r -> {
                    assertThat(r.getSupersedes()).isEqualTo(first.getResultId());
                    assertThat(r.getPrior().getStudyInstanceUid()).isEqualTo("1.1");
                    assertThat(r.getSeriesKind()).isEqualTo("T1_3D");
                });
        // The same events again change nothing.
        series.pipeInput("pk", followUp);
        assertThat(results.isEmpty()).isTrue();
    }
}
