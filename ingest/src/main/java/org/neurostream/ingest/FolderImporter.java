package org.neurostream.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.neurostream.schemas.ids.DerivedIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a directory tree of DICOM files, and the zip archives in it (or one zip given directly), through the
 * shared pipeline: a site's historical archive, to seed patient histories. Files without the Part 10 "DICM" marker
 * are skipped and counted (reports, thumbnails, DICOMDIR indexes' companions…); DICOM files the pipeline refuses
 * are counted by reason. Resumable: an {@link ImportJournal} records every handled file and every acknowledged
 * series, and a second run over the same tree skips what is done.
 *
 * <p>Files are handled by a few worker threads (the work is parsing, hashing and copying; two per core keeps the
 * disk busy while another thread hashes). The event source is {@code import:<hash of the root>}: archive folders
 * are often named after patients, so the path itself stays out of the events.
 */
public final class FolderImporter {
    private static final Logger log = LoggerFactory.getLogger(FolderImporter.class);
    private static final byte[] DICM = "DICM".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZIP = {'P', 'K', 3, 4};

    /** Counts so far; {@code total} is known after the listing pass. */
    public record Report(long total, long stored, long rejected, long notDicom, long alreadyDone, long bytes,
            long elapsedNanos) {
        public long handled() {
            return stored + rejected + notDicom + alreadyDone;
        }

        public double instancesPerSecond() {
            return elapsedNanos == 0 ? 0 : stored * 1e9 / elapsedNanos;
        }

        public double megabytesPerSecond() {
            return elapsedNanos == 0 ? 0 : bytes / 1e6 * 1e9 / elapsedNanos;
        }
    }

    /** One file to handle: on disk, or an entry of a zip archive. */
    private record Item(Path file, ZipFile zip, ZipEntry entry, String key, String fingerprint) {
    }

    private final IngestPipeline pipeline;
    private final int threads;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong notDicom = new AtomicLong();
    private final AtomicLong alreadyDone = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long startedNanos;
    private volatile long finishedNanos;

    public FolderImporter(IngestPipeline pipeline, int threads) {
        this.pipeline = pipeline;
        this.threads = Math.max(1, threads);
    }

    /** The default journal of a root: in the blob store, named after the root's absolute path. */
    public static Path defaultJournal(Path blobStoreRoot, Path importRoot) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    importRoot.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return blobStoreRoot.resolve("state/import").resolve(HexFormat.of().formatHex(digest, 0, 8) + ".journal");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** A live view for a progress bar (any thread). */
    public Report snapshot() {
        long end = finishedNanos != 0 ? finishedNanos : System.nanoTime();
        return new Report(total.get(), stored.get(), rejected.get(), notDicom.get(), alreadyDone.get(), bytes.get(),
                startedNanos == 0 ? 0 : end - startedNanos);
    }

    /** The event source for an import of {@code root}: stable for one archive, and free of its path text. */
    public static String importSource(Path root) {
        return "import:" + DerivedIds.of("import", root.toAbsolutePath().normalize().toString());
    }

    /**
     * Imports {@code root} (a directory or a zip file), then publishes every series still open and waits until
     * Kafka has acknowledged them, so that the journal is complete when this returns.
     */
    public Report importTree(Path root, Path journalFile) throws IOException, InterruptedException {
        startedNanos = System.nanoTime();
        Path base = root.toAbsolutePath().normalize();
        String source = importSource(base);
        Path spoolDir = pipeline.config().blobStoreDir().resolve("incoming-import");
        Spool.removeLeftovers(spoolDir);
        List<ZipFile> zips = new ArrayList<>();
        try (ImportJournal journal = new ImportJournal(journalFile)) {
            pipeline.onAcknowledged(event -> {
                try {
                    journal.acknowledged(event.getSeriesInstanceUid());
                } catch (IOException e) {
                    log.warn("import journal {}: {} (the series' files will be imported again on resume)",
                            journal.file(), e.toString());
                }
            });
            List<Item> items = list(base, zips);
            total.set(items.size());
            log.info("import of {}: {} files, journal {}", base, items.size(), journal.file());
            ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "import-worker");
                t.setDaemon(true);
                return t;
            });
            List<Future<?>> done = new ArrayList<>();
            try {
                for (Item item : items) {
                    done.add(workers.submit(() -> {
                        handle(item, journal, source, spoolDir);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                // Let the files in hand finish (an interrupt inside the blob store's I/O would fail them), then
                // drop the open series: they are in the journal without an acknowledgement, so a resume sends
                // them again whole, where announcing them now would publish them partial.
                done.forEach(f -> f.cancel(false));
                workers.shutdown();
                workers.awaitTermination(1, TimeUnit.MINUTES);
                int dropped = pipeline.discardOpenSeries();
                log.warn("import of {} stopped after {} of {} files ({} open series left for the resume): {}", base,
                        snapshot().handled(), items.size(), dropped, e.toString());
                if (e instanceof InterruptedException ie) {
                    throw ie;
                }
                throw new IOException("import failed: " + e.getCause(), e.getCause());
            } finally {
                workers.shutdown();
            }
            try {
                pipeline.completeAll().get(5, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (Thread.interrupted()) { // the producer gave up because we were interrupted: report that
                    throw new InterruptedException("interrupted while Kafka acknowledged the last series");
                }
                throw new IOException("series not acknowledged by Kafka; run the import again to resume: " + e, e);
            }
        } finally {
            for (ZipFile zip : zips) {
                zip.close();
            }
            finishedNanos = System.nanoTime();
        }
        Report report = snapshot();
        log.info("import of {} done: {} files, {} stored, {} rejected, {} not DICOM, {} already imported, "
                + "{} MB in {} s ({} instances/s, {} MB/s)", base, report.total(), report.stored(), report.rejected(),
                report.notDicom(), report.alreadyDone(), report.bytes() / 1_000_000, report.elapsedNanos() / 1e9,
                Math.round(report.instancesPerSecond()), Math.round(report.megabytesPerSecond()));
        return report;
    }

    private void handle(Item item, ImportJournal journal, String source, Path spoolDir) throws IOException {
        if (journal.isDone(item.key(), item.fingerprint())) {
            alreadyDone.incrementAndGet();
            pipeline.metrics().importSkipped("already-imported");
            return;
        }
        Path spool = null;
        try {
            Path file = item.file();
            if (item.zip() != null) {
                spool = Spool.create(spoolDir, "zip-");
                try (InputStream in = item.zip().getInputStream(item.entry())) {
                    Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
                }
                file = spool;
            }
            if (!hasMarker(file, 128, DICM)) {
                notDicom.incrementAndGet();
                pipeline.metrics().importSkipped("not-dicom");
                journal.handled(item.key(), item.fingerprint(), "not-dicom", null);
                return;
            }
            long size = Files.size(file);
            IngestOutcome outcome = pipeline.ingestor().ingest(file, null, null, source, null);
            if (outcome.stored()) {
                stored.incrementAndGet();
                bytes.addAndGet(size);
                journal.handled(item.key(), item.fingerprint(), "stored", outcome.seriesInstanceUid());
            } else {
                rejected.incrementAndGet();
                if (outcome.status() != DimseStatus.OUT_OF_RESOURCES) { // a storage failure is worth a retry
                    journal.handled(item.key(), item.fingerprint(), "rejected:" + outcome.reason(), null);
                }
            }
        } finally {
            Spool.deleteQuietly(spool);
        }
    }

    /** Every regular file under the root in a stable order, zip archives expanded into their entries. */
    private static List<Item> list(Path base, List<ZipFile> zips) throws IOException {
        List<Path> files;
        if (Files.isDirectory(base)) {
            try (Stream<Path> walk = Files.walk(base)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
        } else {
            files = List.of(base);
        }
        List<Item> items = new ArrayList<>();
        for (Path file : files) {
            String key = Files.isDirectory(base) ? base.relativize(file).toString() : file.getFileName().toString();
            if (hasMarker(file, 0, ZIP)) {
                ZipFile zip = new ZipFile(file.toFile());
                zips.add(zip);
                zip.stream().filter(e -> !e.isDirectory()).forEach(e -> items.add(new Item(null, zip, e,
                        key + "!" + e.getName(), e.getSize() + ":" + Long.toHexString(e.getCrc()))));
            } else {
                items.add(new Item(file, null, null, key,
                        Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis()));
            }
        }
        return items;
    }

    private static boolean hasMarker(Path file, int offset, byte[] marker) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(offset + marker.length);
            return head.length == offset + marker.length
                    && Arrays.equals(head, offset, offset + marker.length, marker, 0, marker.length);
        }
    }
}
