package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.schemas.SeriesReceived;

/** Folder and zip import of a phantom archive with junk in it: counts, throughput, resumability. */
class FolderImportTest {
    @TempDir
    Path dir;

    @Test
    void importsOverAThousandInstancesWithJunkAndASecondRunImportsNothingNew() throws Exception {
        Path root = dir.resolve("archive");
        List<PhantomCohort.Series> cohort = new PhantomCohort(8).write(root.resolve("cohort"), 6, 1);
        // One series only as a zip archive, with a junk entry beside it.
        PhantomCohort.Series zipped = cohort.get(cohort.size() - 1);
        zip(zipped.folder(), root.resolve("old-site-export.zip"));
        deleteTree(zipped.folder());
        int junk = writeJunk(root);
        Path nonImage = TestMrSeries.writeNonImage(root.resolve("cohort/non-image.dcm")); // DICOM, unusable
        int instances = cohort.stream().mapToInt(s -> s.files().size()).sum();
        assertThat(instances).isGreaterThanOrEqualTo(1_000);
        Path journal = dir.resolve("import.journal");

        RecordingPublisher first = new RecordingPublisher();
        FolderImporter.Report report;
        try (LogCapture logs = new LogCapture(); IngestPipeline pipeline = pipeline(first)) {
            report = new FolderImporter(pipeline, 2).importTree(root, journal);
            assertThat(logs.text()).doesNotContain("NSPH-0").doesNotContain("PHANTOM^");
            assertThat(pipeline.metrics().registry().find("neurostream.ingest.import.skipped")
                    .tag("reason", "not-dicom").counter().count()).isEqualTo(junk + 1);
        }
        System.out.printf("IMPORT: %d instances, %.1f MB in %.2f s: %.0f instances/s, %.1f MB/s%n", report.stored(),
                report.bytes() / 1e6, report.elapsedNanos() / 1e9, report.instancesPerSecond(),
                report.megabytesPerSecond());
        assertThat(report.stored()).isEqualTo(instances);
        assertThat(report.notDicom()).isEqualTo(junk + 1); // + the zip's README entry
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(report.total()).isEqualTo(instances + junk + 1 + 1);
        assertThat(first.events).hasSize(cohort.size());
        Map<String, Integer> sizes = first.events.stream().collect(Collectors.toMap(
                SeriesReceived::getSeriesInstanceUid, e -> e.getInstances().size()));
        cohort.forEach(s -> assertThat(sizes).containsEntry(s.seriesUid(), s.files().size()));
        assertThat(first.events).allSatisfy(e -> assertThat(e.getSource()).isEqualTo(FolderImporter.importSource(root)));

        RecordingPublisher second = new RecordingPublisher();
        try (IngestPipeline pipeline = pipeline(second)) {
            FolderImporter.Report again = new FolderImporter(pipeline, 2).importTree(root, journal);
            assertThat(again.stored()).isZero();
            assertThat(again.alreadyDone()).isEqualTo(again.total()).isEqualTo(report.total());
        }
        assertThat(second.events).isEmpty();
        assertThat(nonImage).exists(); // an import never touches its source
    }

    @Test
    void anInterruptedImportResumesAndAnnouncesEverySeriesOnceAndWhole() throws Exception {
        Path root = dir.resolve("archive");
        List<TestMrSeries> series = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            series.add(TestMrSeries.write(Files.createDirectories(root.resolve("series-" + i)), 30));
        }
        Path journal = dir.resolve("import.journal");

        RecordingPublisher first = new RecordingPublisher();
        try (IngestPipeline pipeline = pipeline(first)) {
            FolderImporter importer = new FolderImporter(pipeline, 1);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    importer.importTree(root, journal);
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            thread.start();
            Await.until(() -> importer.snapshot().handled() >= 75, Duration.ofSeconds(30), "half imported");
            thread.interrupt(); // what Ctrl-C does to the import command
            thread.join(30_000);
            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            assertThat(importer.snapshot().handled()).isLessThan(180);
        }
        // The series of the interrupted import's last files were dropped, not announced partially.
        assertThat(first.events).allSatisfy(e -> assertThat(e.getInstances()).hasSize(30));

        RecordingPublisher second = new RecordingPublisher();
        FolderImporter.Report resumed;
        try (IngestPipeline pipeline = pipeline(second)) {
            resumed = new FolderImporter(pipeline, 2).importTree(root, journal);
        }
        assertThat(resumed.alreadyDone()).isEqualTo(30L * first.events.size());
        assertThat(resumed.stored()).isEqualTo(180 - resumed.alreadyDone());
        List<SeriesReceived> all = Stream.concat(first.events.stream(), second.events.stream()).toList();
        assertThat(all).extracting(SeriesReceived::getSeriesInstanceUid)
                .containsExactlyInAnyOrderElementsOf(series.stream().map(s -> s.seriesUid).toList());
        assertThat(all).allSatisfy(e -> assertThat(e.getInstances()).hasSize(30));
    }

    @Test
    void seriesNotAcknowledgedByKafkaAreImportedAgainOnTheNextRun() throws Exception {
        Path root = dir.resolve("archive");
        TestMrSeries series = TestMrSeries.write(Files.createDirectories(root), 5);
        Path journal = dir.resolve("import.journal");

        try (IngestPipeline pipeline = pipeline(new RecordingPublisher(Integer.MAX_VALUE))) {
            assertThatThrownBy(() -> new FolderImporter(pipeline, 2).importTree(root, journal))
                    .hasMessageContaining("not acknowledged");
        }
        RecordingPublisher working = new RecordingPublisher();
        try (IngestPipeline pipeline = pipeline(working)) {
            assertThat(new FolderImporter(pipeline, 2).importTree(root, journal).stored()).isEqualTo(5);
        }
        assertThat(working.events).singleElement()
                .satisfies(e -> assertThat(e.getSeriesInstanceUid()).isEqualTo(series.seriesUid));
    }

    private IngestPipeline pipeline(SeriesPublisher publisher) throws Exception {
        IngestConfig config = new IngestConfig("NS_IMPORT", 0, dir.resolve("blobs"), Duration.ofSeconds(2),
                "unused:9092", "test", "salt");
        return new IngestPipeline(config, new SimpleMeterRegistry(), Clock.systemUTC(), publisher).start();
    }

    /** Text reports, a binary blob, an empty file: what real archives hold beside their images. */
    private static int writeJunk(Path root) throws Exception {
        Path notes = Files.createDirectories(root.resolve("notes"));
        int n = 0;
        for (int i = 0; i < 20; i++, n++) {
            Files.writeString(notes.resolve("report-" + i + ".txt"), "Report " + i + ": no findings.\n");
        }
        byte[] random = new byte[10_000];
        new Random(1).nextBytes(random);
        Files.write(root.resolve("thumbs.db"), random);
        Files.write(root.resolve("empty.dat"), new byte[0]);
        return n + 2;
    }

    private static void zip(Path folder, Path zipFile) throws Exception {
        try (OutputStream file = Files.newOutputStream(zipFile); ZipOutputStream zip = new ZipOutputStream(file);
                Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                zip.putNextEntry(new ZipEntry("series/" + f.getFileName()));
                Files.copy(f, zip);
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write("exported by the old PACS\n".getBytes());
            zip.closeEntry();
        }
    }

    private static void deleteTree(Path folder) throws Exception {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
