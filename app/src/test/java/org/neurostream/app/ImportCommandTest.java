package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.broker.EmbeddedKafkaBroker;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;
import picocli.CommandLine;

/**
 * {@code neurostream import} as an operator runs it, against a real (embedded) Kafka broker. The cohort size can be
 * raised for a throughput measurement: {@code -Dneurostream.import.pairs=20} (3,200 instances).
 */
class ImportCommandTest {
    @TempDir
    Path dir;

    @Test
    void importsAPhantomArchiveWithJunkOntoKafkaAndASecondRunImportsNothing() throws Exception {
        int pairs = Integer.getInteger("neurostream.import.pairs", 2);
        Path root = dir.resolve("archive");
        List<PhantomCohort.Series> cohort = new PhantomCohort(31).write(root, pairs, 1);
        Files.writeString(root.resolve("index.html"), "<html>archive index</html>");
        Files.write(root.resolve("Thumbs.db"), new byte[4096]);
        int instances = cohort.stream().mapToInt(s -> s.files().size()).sum();

        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), false).start()) {
            broker.createTopics(Topics.all(), 2);
            Path config = Files.writeString(dir.resolve("neurostream.properties"), String.join("\n",
                    "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                    "blobstore.root=" + dir.resolve("blobs"),
                    "patient.key.salt=import-test",
                    "ingest.quiet.period.ms=2000"));

            String first = run("--config", config.toString(), "--no-progress", root.toString());
            System.out.println("IMPORT (cli): " + first.strip());
            assertThat(first).contains(String.format("%d files: %d stored, 0 already imported, 2 not DICOM (skipped), "
                    + "0 rejected", instances + 2, instances));
            List<SeriesReceived> events = consume(broker.bootstrapServers(), cohort.size());
            assertThat(events).extracting(SeriesReceived::getSeriesInstanceUid)
                    .containsExactlyInAnyOrderElementsOf(cohort.stream().map(PhantomCohort.Series::seriesUid).toList());

            String second = run("--config", config.toString(), "--no-progress", root.toString());
            assertThat(second).contains(String.format("%d files: 0 stored, %d already imported", instances + 2,
                    instances + 2));
            assertThat(consume(broker.bootstrapServers(), cohort.size())).as("no new events").hasSize(cohort.size());
        }
    }

    @Test
    void theProgressLineShowsCountsAndRates() {
        String line = ImportCommand.progressLine(new org.neurostream.ingest.FolderImporter.Report(200, 90, 1, 9, 0,
                3_000_000, 1_000_000_000L));
        assertThat(line).startsWith("[###############---------------]  50% 100/200 files | 90 inst/s 3.0 MB/s")
                .contains("not DICOM 9, rejected 1");
    }

    private static String run(String... args) {
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new ImportCommand()).execute(args)).isZero();
        } finally {
            System.setOut(console);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Everything on the topic from the start, until {@code expected} records or 10 quiet seconds after them. */
    private static List<SeriesReceived> consume(String bootstrap, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "import-test-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<SeriesReceived> events = new ArrayList<>();
        try (KafkaConsumer<String, SeriesReceived> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                AvroSerde.of(SeriesReceived.class).deserializer())) {
            consumer.subscribe(List.of(Topics.SERIES_RECEIVED));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(r.value()));
                if (events.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return events;
    }
}
