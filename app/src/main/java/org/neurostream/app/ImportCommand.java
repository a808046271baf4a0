package org.neurostream.app;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.neurostream.config.Settings;
import org.neurostream.ingest.FolderImporter;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.ingest.IngestPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code neurostream import PATH}: a site's historical archive (a folder tree, zip archives in it, or one zip) into
 * the blob store and onto Kafka as SeriesReceived events, through the same pipeline as the receiving doors.
 * Ctrl-C stops cleanly; running the same command again resumes from the journal.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a folder tree or zip archive of DICOM files (resumable; non-DICOM files are skipped "
                + "and counted).")
public final class ImportCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "PATH", description = "A directory (searched recursively, zip files included) or a zip.")
    Path root;
    @Option(names = "--config", description = "Properties file; NEUROSTREAM_* environment variables override it.")
    Path config;
    @Option(names = "--journal", description = "Where progress is recorded for a resume. Default: under the blob "
            + "store, named after PATH.")
    Path journal;
    @Option(names = "--threads", description = "Files handled in parallel. Default: 2 per core.")
    int threads = 2 * Runtime.getRuntime().availableProcessors();
    @Option(names = "--no-progress", description = "No progress bar (e.g. when the output is a log file).")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(root)) {
            System.err.println("no such file or directory: " + root);
            return 2;
        }
        IngestConfig ingest = IngestConfig.from(Settings.load(config));
        Path journalFile = journal != null ? journal : FolderImporter.defaultJournal(ingest.blobStoreDir(), root);
        PrintStream out = System.out;
        Thread worker = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C / SIGTERM: interrupt the import and let it drop its open series and close the producer.
        Thread hook = new Thread(() -> {
            worker.interrupt();
            try {
                finished.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException ignored) {
                // the JVM is going down anyway
            }
        }, "import-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "import-progress");
            t.setDaemon(true);
            return t;
        });
        try (IngestPipeline pipeline = new IngestPipeline(ingest, new SimpleMeterRegistry(), Clock.systemUTC(), null)
                .start()) {
            FolderImporter importer = new FolderImporter(pipeline, threads);
            if (!noProgress) {
                ticker.scheduleAtFixedRate(() -> System.err.print("\r" + progressLine(importer.snapshot())), 250, 250,
                        TimeUnit.MILLISECONDS);
            }
            FolderImporter.Report report;
            try {
                report = importer.importTree(root, journalFile);
            } catch (InterruptedException e) {
                Thread.interrupted(); // let the producer close normally
                ticker.shutdownNow();
                out.println();
                out.println("interrupted: " + summary(importer.snapshot()));
                out.println("run the same command again to resume (journal " + journalFile + ")");
                out.flush();
                return 130;
            } catch (java.io.IOException e) {
                ticker.shutdownNow();
                out.println();
                out.println("import incomplete: " + e.getMessage());
                out.println("run the same command again to resume (journal " + journalFile + ")");
                out.flush();
                return 1;
            }
            ticker.shutdownNow();
            ticker.awaitTermination(1, TimeUnit.SECONDS);
            if (!noProgress) {
                System.err.println("\r" + progressLine(report));
            }
            out.println("imported " + root.toAbsolutePath().normalize() + ": " + summary(report));
            return 0;
        } finally {
            ticker.shutdownNow();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it is waiting for the latch just released
            }
        }
    }

    static String summary(FolderImporter.Report r) {
        return String.format(Locale.ROOT, "%d files: %d stored, %d already imported, %d not DICOM (skipped), "
                + "%d rejected; %.1f MB in %.1f s = %.0f instances/s, %.1f MB/s", r.total(), r.stored(), r.alreadyDone(),
                r.notDicom(), r.rejected(), r.bytes() / 1e6, r.elapsedNanos() / 1e9, r.instancesPerSecond(),
                r.megabytesPerSecond());
    }

    /** {@code [##########----------]  52% 1040/2000 files | 310 inst/s 10.2 MB/s | skipped 23 rejected 1}. */
    static String progressLine(FolderImporter.Report r) {
        int width = 30;
        double fraction = r.total() == 0 ? 0 : (double) r.handled() / r.total();
        int filled = (int) Math.round(fraction * width);
        return String.format(Locale.ROOT, "[%s%s] %3.0f%% %d/%d files | %.0f inst/s %.1f MB/s | not DICOM %d, "
                + "rejected %d, already imported %d", "#".repeat(filled), "-".repeat(width - filled), fraction * 100,
                r.handled(), r.total(), r.instancesPerSecond(), r.megabytesPerSecond(), r.notDicom(), r.rejected(),
                r.alreadyDone());
    }
}
