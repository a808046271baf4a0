package org.neurostream.app.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import org.neurostream.app.StoreScu;
import org.neurostream.bench.JfrProfile;
import org.neurostream.bench.LoadAverage;
import org.neurostream.bench.ResultFiles;
import org.neurostream.bench.Stats;
import org.neurostream.app.FileTrees;
import org.neurostream.broker.EmbeddedKafkaBroker;
import org.neurostream.config.Settings;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.ingest.IngestService;
import org.neurostream.schemas.kafka.Topics;

/**
 * DCMTK's storescu sending the same series, with the same options, to our C-STORE SCP (the ingest service as
 * deployed: blob store and Kafka, here an embedded broker) and to DCMTK's own storescp writing to a folder, in
 * alternating rounds (ABBA, so drift in the machine's load falls on both). Each side has one warm-up round first
 * (our JVM's JIT, both sides' page cache) that is not counted. A fresh ingest service and blob store, and a fresh
 * storescp folder, every round: nothing is already stored. Optionally records a JFR profile of our rounds.
 */
public final class IngestBenchmark {
    public static final String NAME = "ingest";
    static final String CALLING_AET = "BENCHSCU";

    public record Options(List<Path> seriesFolders, int rounds, Path workDir, Path resultsDir, Path jfr,
            String command) {
    }

    /** One timed send: which receiver, how long storescu took from start to exit. */
    record Round(String receiver, long millis) {
    }

    public static Map<String, Object> run(Options o, PrintStream out) throws Exception {
        LoadAverage before = LoadAverage.now();
        List<Path> files = new ArrayList<>();
        for (Path folder : o.seriesFolders()) {
            try (Stream<Path> s = Files.walk(folder)) {
                s.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        out.printf(Locale.ROOT, "%d instances, %.1f MB in %d series; %d rounds per receiver after a warm-up%n",
                files.size(), bytes / 1e6, o.seriesFolders().size(), o.rounds());
        Files.createDirectories(o.workDir());
        List<Round> rounds = new ArrayList<>();
        Recording recording = null;
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(o.workDir().resolve("kafka"), true).start()) {
            broker.createTopics(Topics.all(), 3);
            // Warm-up, then ABBA: ours, storescp, storescp, ours, ...
            sendToOurs(broker, o, -1, files.size());
            sendToStorescp(o, -1, files.size());
            if (o.jfr() != null) {
                recording = new Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                recording.start();
            }
            for (int r = 0; r < o.rounds(); r++) {
                boolean oursFirst = r % 2 == 0;
                for (int side = 0; side < 2; side++) {
                    boolean ours = (side == 0) == oursFirst;
                    Round round = ours ? sendToOurs(broker, o, r, files.size()) : sendToStorescp(o, r, files.size());
                    rounds.add(round);
                    out.printf(Locale.ROOT, "round %d %-9s %6d ms  %7.1f instances/s%n", r + 1, round.receiver(),
                            round.millis(), files.size() * 1000.0 / round.millis());
                }
            }
        } finally {
            if (recording != null) {
                recording.stop();
                Files.createDirectories(o.jfr().toAbsolutePath().getParent());
                recording.dump(o.jfr());
                recording.close();
            }
        }
        Map<String, Object> report = ResultFiles.header("ingest: storescu -> our C-STORE SCP vs storescu -> DCMTK "
                + "storescp, same series, same storescu options", o.command(), before);
        report.put("series", o.seriesFolders().stream().map(p -> p.getFileName().toString()).toList());
        report.put("instances", files.size());
        report.put("megabytes", Stats.round(bytes / 1e6, 2));
        report.put("storescuOptions", "--scan-directories --recurse -aet " + CALLING_AET + " -aec <receiver> "
                + "127.0.0.1 <port> <series folders>, TCP_NODELAY=1 (both receivers too)");
        report.put("receivers", Map.of(
                "neurostream", "IngestService (C-STORE SCP, blob store on local disk, SeriesReceived to an embedded "
                        + "KRaft broker after the quiet period), in the benchmark's JVM",
                "storescp", "storescp -aet STORESCP -od <fresh folder> <port> (DCMTK " + dcmtkVersion() + ")"));
        report.put("summary", summary(rounds, files.size(), bytes));
        report.put("rounds", rounds);
        if (o.jfr() != null) {
            report.put("jfrProfile", o.jfr().toString());
            report.put("scpThreadSamples", JfrProfile.topFrames(o.jfr(), "dicom-association", "org.neurostream", 8));
        }
        LoadAverage after = LoadAverage.now();
        report.put("loadAfter", after == null ? null : after.asMap());
        if ((before != null && before.busierThan(0)) || (after != null && after.busierThan(2))) {
            report.put("otherWork", "Other work was running on this machine during the run (see the load "
                    + "averages); the rounds alternate, so it fell on both receivers.");
        }
        String md = markdown(report);
        ResultFiles.write(o.resultsDir(), NAME, report, md);
        out.print(md);
        return report;
    }

    /** Medians per receiver and their ratio (ours over storescp: above 1.0 means we are faster). */
    static Map<String, Object> summary(List<Round> rounds, int instances, long bytes) {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (String receiver : List.of("neurostream", "storescp")) {
            List<Long> millis = rounds.stream().filter(r -> r.receiver().equals(receiver)).map(Round::millis).toList();
            double median = Stats.percentile(millis, 50);
            summary.put(receiver, Map.of(
                    "medianMillis", Stats.round(median, 0),
                    "instancesPerSecond", Stats.round(instances * 1000.0 / median, 1),
                    "megabytesPerSecond", Stats.round(bytes / 1e3 / median, 1),
                    "rounds", millis.size()));
        }
        double ours = Stats.percentile(rounds.stream().filter(r -> r.receiver().equals("neurostream"))
                .map(Round::millis).toList(), 50);
        double theirs = Stats.percentile(rounds.stream().filter(r -> r.receiver().equals("storescp"))
                .map(Round::millis).toList(), 50);
        summary.put("ratio", Stats.round(theirs / ours, 2));
        summary.put("goalRatio", 1.0);
        return summary;
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> report) {
        Map<String, Object> s = (Map<String, Object>) report.get("summary");
        StringBuilder md = new StringBuilder(ResultFiles.markdownHeader("Ingest benchmark", report));
        md.append(report.get("benchmark")).append(": ").append(report.get("instances")).append(" instances, ")
                .append(report.get("megabytes")).append(" MB (").append(report.get("series")).append(").\n\n")
                .append("storescu: `").append(report.get("storescuOptions")).append("`. Receivers: ")
                .append(report.get("receivers")).append(".\n\n")
                .append("| receiver | rounds | median ms | instances/s | MB/s |\n")
                .append("| --- | ---: | ---: | ---: | ---: |\n");
        for (String receiver : List.of("neurostream", "storescp")) {
            Map<String, Object> r = (Map<String, Object>) s.get(receiver);
            md.append("| ").append(receiver).append(" | ").append(r.get("rounds")).append(" | ")
                    .append(r.get("medianMillis")).append(" | ").append(r.get("instancesPerSecond")).append(" | ")
                    .append(r.get("megabytesPerSecond")).append(" |\n");
        }
        double ratio = ((Number) s.get("ratio")).doubleValue();
        md.append("\nRatio (ours / storescp, instances/s): **").append(ratio).append("** (goal >= 1.0: ")
                .append(ratio >= 1.0 ? "met" : "**missed**").append(").\n");
        md.append("\nEvery round in order (ms): ").append(((List<Round>) report.get("rounds")).stream()
                .map(r -> r.receiver() + " " + r.millis()).collect(java.util.stream.Collectors.joining(", ")))
                .append("\n");
        if (report.get("jfrProfile") != null) {
            md.append("\nJFR profile of the timed rounds: `").append(report.get("jfrProfile")).append("`. Samples of "
                    + "our SCP's association thread, by top frame <- our frame (on CPU in Java; blocked in a system "
                    + "call):\n\n| where | kind | samples |\n| --- | --- | ---: |\n");
            ((Map<String, Map<String, Integer>>) report.get("scpThreadSamples")).forEach((kind, frames) ->
                    frames.forEach((frame, n) -> md.append("| ").append(frame).append(" | ").append(kind)
                            .append(" | ").append(n).append(" |\n")));
        }
        return md.toString();
    }

    private static Round sendToOurs(EmbeddedKafkaBroker broker, Options o, int round, int expected) throws Exception {
        Path blobs = o.workDir().resolve("blobs-" + (round + 1));
        Properties file = new Properties();
        file.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
        file.setProperty("blobstore.root", blobs.toString());
        file.setProperty("patient.key.salt", "neurostream-bench-salt");
        file.setProperty("ingest.ae.title", "NEUROSTREAM");
        file.setProperty("ingest.port", "0");
        file.setProperty("ingest.quiet.period.ms", "2000");
        try (IngestService ingest = new IngestService(IngestConfig.from(new Settings(file, Map.of())),
                new SimpleMeterRegistry(), Clock.systemUTC(), null).start()) {
            long start = System.nanoTime();
            StoreScu.send("127.0.0.1", ingest.port(), "NEUROSTREAM", CALLING_AET, o.seriesFolders());
            Round r = new Round("neurostream", (System.nanoTime() - start) / 1_000_000);
            requireStored(blobs, expected);
            return r;
        } finally {
            FileTrees.deleteRecursively(blobs);
        }
    }

    private static Round sendToStorescp(Options o, int round, int expected) throws Exception {
        Path folder = o.workDir().resolve("storescp-" + (round + 1));
        Files.createDirectories(folder);
        int port = EmbeddedKafkaBroker.freePort();
        ProcessBuilder builder = new ProcessBuilder("storescp", "-aet", "STORESCP", "-od", folder.toString(),
                String.valueOf(port)).redirectErrorStream(true)
                .redirectOutput(o.workDir().resolve("storescp.log").toFile());
        builder.environment().put("TCP_NODELAY", "1");
        Process storescp = builder.start();
        try {
            awaitListening(port, storescp);
            long start = System.nanoTime();
            StoreScu.send("127.0.0.1", port, "STORESCP", CALLING_AET, o.seriesFolders());
            Round r = new Round("storescp", (System.nanoTime() - start) / 1_000_000);
            requireStored(folder, expected);
            return r;
        } finally {
            storescp.destroy();
            storescp.waitFor();
            FileTrees.deleteRecursively(folder);
        }
    }

    /** A round only counts when every instance really landed (more files is fine: ingest keeps state files). */
    private static void requireStored(Path dir, int expected) throws IOException {
        long stored;
        try (Stream<Path> s = Files.walk(dir)) {
            stored = s.filter(Files::isRegularFile).count();
        }
        if (stored < expected) {
            throw new IOException(dir + " holds " + stored + " files after sending " + expected + " instances");
        }
    }

    private static void awaitListening(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("storescp did not listen on port " + port);
    }

    private static String dcmtkVersion() {
        try {
            Process p = new ProcessBuilder("storescp", "--version").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            // "$dcmtk: storescp v3.6.7 2022-04-22 $"
            return text.lines().filter(l -> l.toLowerCase(Locale.ROOT).contains("dcmtk")).findFirst().orElse("?")
                    .replace("$", "").trim();
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private IngestBenchmark() {
    }
}
