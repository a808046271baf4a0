package org.neurostream.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.neurostream.app.NeuroStreamCli;
import org.neurostream.app.ResultWatcher;
import org.neurostream.app.StoreScu;
import org.neurostream.broker.EmbeddedKafkaBroker;
import org.neurostream.config.Settings;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.ingest.IngestService;
import org.neurostream.pacs.LocalOrthanc;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;
import org.neurostream.sink.DeterministicUids;

/**
 * The whole pipeline with its parts in separate OS processes, so that a test can kill one the way an outage
 * would: the broker ({@code neurostream broker}, fixed ports and a kept data folder, so it restarts in place),
 * Orthanc as the PACS, and the processor and sink through the real CLI ({@code neurostream processor|sink
 * --config}). Ingest runs in the test's JVM (it is the door the test sends through, not a part under fault).
 * Every process is killed on {@link #close()} and, should the test JVM itself be killed, by a shutdown hook.
 * A service that exits on its own is restarted, as Kubernetes would, and counted ({@link #restarts()}).
 */
final class FaultRig implements AutoCloseable {
    /** How many phantom pairs a run sends (the issue asks for 100; a smaller number makes a quick local try). */
    static final int PAIRS = Integer.getInteger("neurostream.faults.pairs", 100);
    private static final Duration STARTUP = Duration.ofMinutes(2);
    /**
     * The processor's line at the end of the registration's coarse level: about halfway through a pair's
     * analysis (synthetic heads, default levels 4,2 mm), well before its result is written.
     */
    static final String REGISTRATION_STARTED = "rigid registration level 4.0 mm";
    /** The processor's line once a pair is analysed (its result is committed right after). */
    static final String ANALYSED = "P(decline) ";

    private final Path dir;
    private final int brokerPort;
    private final int controllerPort;
    private final Path config;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final List<Process> everyProcess = new CopyOnWriteArrayList<>();
    private final Thread killer;
    private final Map<String, Integer> restarts = new HashMap<>();
    private Process broker;
    private int brokerStarts;
    private LocalOrthanc orthanc;
    private IngestService ingest;
    private ResultWatcher results;

    /** A process started from the CLI; {@code expectedDown} while the test has killed it on purpose. */
    private static final class Service {
        final String command;
        final Map<String, String> env;
        Process process;
        /** Where this start's lines begin in the (appended) log. */
        long logOffset;
        boolean expectedDown;
        int starts;

        Service(String command, Map<String, String> env) {
            this.command = command;
            this.env = env;
        }
    }

    FaultRig(Path dir) throws IOException {
        this.dir = dir.toAbsolutePath();
        this.brokerPort = EmbeddedKafkaBroker.freePort();
        int controller = EmbeddedKafkaBroker.freePort();
        while (controller == brokerPort) {
            controller = EmbeddedKafkaBroker.freePort();
        }
        this.controllerPort = controller;
        this.config = this.dir.resolve("neurostream.properties");
        // If surefire kills this JVM (its own timeout, Ctrl-C), the children must not outlive it.
        killer = new Thread(() -> everyProcess.forEach(Process::destroyForcibly), "fault-rig-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Broker, Orthanc, in-process ingest, processor and sink processes; returns once all are up. */
    FaultRig start() throws Exception {
        startBroker();
        orthanc = LocalOrthanc.builder(dir.resolve("orthanc")).aet("FAULTPACS").start();
        Properties file = new Properties();
        file.setProperty("kafka.bootstrap.servers", bootstrapServers());
        file.setProperty("blobstore.root", dir.resolve("blobs").toString());
        file.setProperty("patient.key.salt", "fault-tests");
        file.setProperty("ingest.ae.title", "NEUROSTREAM");
        file.setProperty("ingest.port", "0");
        file.setProperty("ingest.quiet.period.ms", "1500");
        file.setProperty("processor.model-dir", repo().resolve("models").resolve("change-classifier").toString());
        file.setProperty("processor.brain-extraction-model-dir", "");
        file.setProperty("processor.state-dir", dir.resolve("processor-state").toString());
        // A killed instance's partitions are taken over after seconds rather than the default 45 s.
        file.setProperty("processor.streams.consumer.session.timeout.ms", "6000");
        file.setProperty("processor.streams.consumer.heartbeat.interval.ms", "1000");
        file.setProperty("sink.pacs.host", "127.0.0.1");
        file.setProperty("sink.pacs.port", String.valueOf(orthanc.dicomPort()));
        file.setProperty("sink.pacs.called-aet", orthanc.aet());
        file.setProperty("sink.pacs.rest-url", orthanc.restUrl());
        file.setProperty("sink.folder.dir", dir.resolve("sr").toString());
        file.setProperty("status.enabled", "false");
        // The sink's retry settings stay at their defaults: what a site gets is what is tested.
        file.setProperty("ops.port", "0");
        try (var out = Files.newBufferedWriter(config)) {
            file.store(out, "fault tests");
        }
        ingest = new IngestService(IngestConfig.from(new Settings(file, Map.of())));
        ingest.start();
        services.put("processor", new Service("processor", Map.of()));
        services.put("sink", new Service("sink", Map.of()));
        for (String name : services.keySet()) {
            startService(name);
        }
        awaitLog("processor", "processor running", STARTUP);
        results = new ResultWatcher(bootstrapServers());
        return this;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    LocalOrthanc orthanc() {
        return orthanc;
    }

    ResultWatcher results() {
        return results;
    }

    Path log(String name) {
        return dir.resolve(name + ".log");
    }

    /**
     * The synthetic cohort ({@link #PAIRS} pairs; small heads, about a second of analysis per pair), written once
     * per test JVM and shared by the fault tests (each has its own broker, PACS and blob store, so the same UIDs
     * do not meet): writing 100 pairs takes one to two minutes. It goes to the module's {@code target/} (16,000
     * files: deleting them in a shutdown hook outlasted surefire's wait for the test JVM), replacing an earlier one.
     */
    static synchronized List<Series> cohort() throws IOException {
        if (cohort == null) {
            long started = System.nanoTime();
            Path folder = Path.of("target", "fault-cohort").toAbsolutePath();
            deleteTree(folder);
            cohort = new PhantomCohort(7001, PhantomCohort.Anatomy.SYNTHETIC).write(folder, PAIRS, 0);
            System.out.printf("fault rig: %d series written in %.1f s%n", cohort.size(),
                    (System.nanoTime() - started) / 1e9);
        }
        return cohort;
    }

    private static List<Series> cohort;

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot clear " + folder, e);
        }
    }

    /** Sends every baseline, then every follow-up, with DCMTK's storescu, as a scanner would. */
    void send(List<Series> cohort) throws Exception {
        for (Visit visit : List.of(Visit.BASELINE, Visit.FOLLOW_UP)) {
            send(cohort, visit);
        }
    }

    void send(List<Series> cohort, Visit visit) throws Exception {
        long started = System.nanoTime();
        StoreScu.send("127.0.0.1", ingest.port(), "NEUROSTREAM", "SCANNER",
                cohort.stream().filter(s -> s.visit() == visit).map(Series::folder).toList());
        System.out.printf("fault rig: %s series sent in %.1f s%n", visit, (System.nanoTime() - started) / 1e9);
    }

    // ---- the broker ----

    void startBroker() throws Exception {
        brokerStarts++;
        Path log = dir.resolve("broker-" + brokerStarts + ".log");
        broker = launch(List.of("broker", "--data", dir.resolve("kafka").toString(), "--port",
                String.valueOf(brokerPort), "--controller-port", String.valueOf(controllerPort), "--partitions", "3"),
                Map.of(), log);
        awaitFile(log, "broker ready at ", STARTUP, () -> broker.isAlive());
    }

    /** SIGKILL: no clean shutdown, the next start recovers the logs. */
    void killBroker() throws InterruptedException {
        broker.destroyForcibly();
        assertThat(broker.waitFor(30, TimeUnit.SECONDS)).as("broker killed").isTrue();
    }

    // ---- the services ----

    private void startService(String name) throws IOException {
        Service service = services.get(name);
        service.starts++;
        service.expectedDown = false;
        service.logOffset = Files.exists(log(name)) ? Files.size(log(name)) : 0;
        // Appended, so one log tells the service's whole story across restarts.
        service.process = launch(List.of(service.command, "--config", config.toString()), service.env, log(name));
    }

    /** SIGKILL of a service (kill -9): it gets no chance to commit, flush or say goodbye. */
    int kill(String name) throws InterruptedException {
        Service service = services.get(name);
        service.expectedDown = true;
        service.process.destroyForcibly();
        assertThat(service.process.waitFor(30, TimeUnit.SECONDS)).as(name + " killed").isTrue();
        return service.process.exitValue();
    }

    void restart(String name) throws IOException {
        startService(name);
    }

    /** Services that exited without being asked (e.g. the sink after Kafka vanished mid-commit), by name. */
    Map<String, Integer> restarts() {
        return Map.copyOf(restarts);
    }

    /** Restarts any service that died on its own, as a Deployment would. */
    private void supervise() throws IOException {
        for (Map.Entry<String, Service> e : services.entrySet()) {
            Service s = e.getValue();
            if (!s.expectedDown && !s.process.isAlive()) {
                restarts.merge(e.getKey(), 1, Integer::sum);
                System.out.printf("fault rig: %s exited with %d by itself; restarting it%n", e.getKey(),
                        s.process.exitValue());
                startService(e.getKey());
            }
        }
    }

    // ---- waiting and checking ----

    /**
     * Polls the results topic (read_committed) until every series of the cohort has a result or the timeout
     * passes; restarts services that died meanwhile. Returns whether every series has one.
     */
    boolean awaitAllResults(List<Series> cohort, Duration timeout) throws IOException {
        List<String> all = cohort.stream().map(Series::seriesUid).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (results.awaitSeries(all, Duration.ofSeconds(2))) {
                return true;
            }
            supervise();
        }
        return false;
    }

    /** Keeps polling the results and supervising the services for a while (e.g. through an outage). */
    void idle(Duration duration) throws IOException {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            results.awaitSeries(List.of("(none: just poll)"), Duration.ofMillis(
                    Math.max(1, Math.min(2000, (deadline - System.nanoTime()) / 1_000_000))));
            supervise();
        }
    }

    /**
     * Committed ANALYSED results seen so far (pairs done), by distinct result id: the watcher's consumer may read
     * the topic again from the start after the broker's restart (it commits no offsets), which the final check
     * ({@link #assertExactlyOneResultPerSeries}) does not rely on.
     */
    long analysed() {
        return results.all().stream().filter(r -> r.getStatus() == AnalysisStatus.ANALYSED)
                .map(AnalysisResult::getResultId).distinct().count();
    }

    /** Distinct committed results seen so far. */
    long committed() {
        return results.all().stream().map(AnalysisResult::getResultId).distinct().count();
    }

    /** Every committed result on the results topic, read afresh from its beginning (read_committed). */
    List<AnalysisResult> readAllResults() {
        List<AnalysisResult> all = new ArrayList<>();
        try (KafkaConsumer<String, AnalysisResult> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), AvroSerde.of(AnalysisResult.class).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ANALYSIS_RESULTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read the results topic to its end").isLessThan(deadline);
                consumer.poll(Duration.ofMillis(500)).forEach(r -> all.add(r.value()));
            }
        }
        return all;
    }

    /** Polls the results until at least {@code count} pairs are analysed and committed; fails at the timeout. */
    void awaitAnalysed(long count, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (analysed() < count) {
            assertThat(System.nanoTime()).as("%d analysed pairs within %s (have %d); logs in %s", count, timeout,
                    analysed(), dir).isLessThan(deadline);
            results.awaitSeries(List.of("(none: just poll)"), Duration.ofMillis(500));
            supervise();
        }
    }

    /** Every series exactly one committed result, each result id once: baselines NO_PRIOR, follow-ups ANALYSED. */
    List<AnalysisResult> assertExactlyOneResultPerSeries(List<Series> cohort) throws InterruptedException {
        Thread.sleep(8000); // a late duplicate would be committed by now
        List<AnalysisResult> all = readAllResults();
        assertThat(all).extracting(AnalysisResult::getResultId).doesNotHaveDuplicates();
        assertThat(all).hasSize(cohort.size());
        for (Series s : cohort) {
            assertThat(all).filteredOn(r -> r.getCurrent().getSeriesInstanceUid().equals(s.seriesUid()))
                    .as(s.folder().getFileName().toString()).singleElement()
                    .extracting(AnalysisResult::getStatus)
                    .isEqualTo(s.visit() == Visit.BASELINE ? AnalysisStatus.NO_PRIOR : AnalysisStatus.ANALYSED);
        }
        lastRead = all;
        return all;
    }

    private List<AnalysisResult> lastRead = List.of();

    /** The SR SOP Instance UIDs the analysed results (as last read afresh) must have produced. */
    Set<String> expectedSrUids() {
        Set<String> uids = new TreeSet<>();
        lastRead.stream().filter(r -> r.getStatus() == AnalysisStatus.ANALYSED)
                .forEach(r -> uids.add(DeterministicUids.srSopInstanceUid(r.getResultId())));
        return uids;
    }

    /**
     * The SOP Instance UID of every instance in Orthanc, one entry per stored instance. Only the sink stores there,
     * and without the tissue and lesion models each result is one SR. Orthanc keeps one instance per SOP Instance
     * UID, so a result delivered twice shows as one entry: what must not happen is a second SR with another UID
     * for the same pair (a result produced twice under two ids), which shows as an entry not expected.
     */
    /**
     * Waits for {@code pairs} SRs in Orthanc, then a little longer for a second SR of some pair to show, and checks
     * that Orthanc holds exactly the SRs the results name, each once, and that nothing became a dead letter.
     */
    void assertEverySrInPacsOnceAndNoDeadLetters(int pairs) throws Exception {
        awaitSrsInPacs(pairs, Duration.ofMinutes(3));
        Thread.sleep(5000);
        assertThat(sopUidsInPacs()).doesNotHaveDuplicates().hasSize(pairs)
                .containsExactlyInAnyOrderElementsOf(expectedSrUids());
        assertThat(deadLetters()).as("dead letters").isEmpty();
    }

    List<String> sopUidsInPacs() throws Exception {
        List<String> uids = new ArrayList<>();
        for (JsonNode instance : orthanc.getJson("/instances?expand")) {
            uids.add(instance.path("MainDicomTags").path("SOPInstanceUID").asText());
        }
        return uids;
    }

    /** Polls Orthanc until it holds at least {@code count} SRs; fails at the timeout. Returns when it got there. */
    long awaitSrsInPacs(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int have = orthanc.countInstances();
            if (have >= count) {
                return System.nanoTime();
            }
            assertThat(System.nanoTime()).as("%d SRs in the PACS within %s (have %d); logs in %s", count, timeout,
                    have, dir).isLessThan(deadline);
            supervise();
            results.awaitSeries(List.of("(none: just poll)"), Duration.ofSeconds(1)); // keeps the results current
        }
    }

    /** Every record on the dead-letter topic (read to its end). */
    List<String> deadLetters() {
        List<String> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTERS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    letters.add(r.topic() + "-" + r.partition() + "@" + r.offset());
                }
            }
        }
        return letters;
    }

    /** Waits for a line written by the service's current start. */
    void awaitLog(String service, String text, Duration timeout) throws Exception {
        Service s = services.get(service);
        awaitFile(log(service), s.logOffset, text, timeout, () -> s.process.isAlive());
    }

    private static void awaitFile(Path log, String text, Duration timeout, BooleanSupplier alive) throws Exception {
        awaitFile(log, 0, text, timeout, alive);
    }

    private static void awaitFile(Path log, long offset, String text, Duration timeout, BooleanSupplier alive)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(Files.exists(log) && since(Files.readString(log), offset).contains(text))) {
            assertThat(alive.getAsBoolean()).as("process writing %s still running", log).isTrue();
            assertThat(System.nanoTime()).as("'%s' in %s within %s", text, log, timeout).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String since(String log, long offset) {
        return log.substring((int) Math.min(offset, log.length()));
    }

    /**
     * Returns as soon as the service writes a new line containing the text: follows the log from its current end
     * (reading only what is new, so that a test can act within milliseconds of the line).
     */
    void awaitNewLine(String service, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var file = new java.io.RandomAccessFile(log(service).toFile(), "r")) {
            long position = file.length();
            StringBuilder pending = new StringBuilder();
            byte[] buffer = new byte[1 << 16];
            while (true) {
                file.seek(position);
                int n = file.read(buffer);
                if (n > 0) {
                    position += n;
                    pending.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
                    if (pending.indexOf(text) >= 0) {
                        return;
                    }
                    // keep only what could be the start of the text
                    pending.delete(0, Math.max(0, pending.length() - text.length()));
                    continue;
                }
                assertThat(System.nanoTime()).as("a new line '%s' in %s within %s", text, log(service), timeout)
                        .isLessThan(deadline);
                Thread.sleep(5);
            }
        }
    }

    /** Lines of a service's log that contain the text (e.g. analyses done). */
    long count(String service, String text) throws IOException {
        return Files.exists(log(service)) ? Files.readAllLines(log(service)).stream().filter(l -> l.contains(text))
                .count() : 0;
    }

    private Process launch(List<String> args, Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path")));
        for (String property : List.of("TENSORFLOW_LIBRARY_PATH", "ai.djl.offline")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        // The registration's progress lines tell a test that an analysis is under way (see REGISTRATION_STARTED).
        command.add("-Dorg.slf4j.simpleLogger.log.org.neurostream.imaging.registration=debug");
        command.add(NeuroStreamCli.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        everyProcess.add(process);
        return process;
    }

    static Path repo() {
        return Path.of(System.getProperty("neurostream.repo", "..")).toAbsolutePath().normalize();
    }

    @Override
    public void close() {
        if (results != null) {
            results.close();
        }
        if (ingest != null) {
            ingest.close();
        }
        // Services first (a clean stop where they still can), then the PACS and the broker; whatever ignores
        // SIGTERM for 30 s is killed.
        for (Service s : services.values()) {
            stop(s.process);
        }
        if (orthanc != null) {
            orthanc.close();
        }
        stop(broker);
        everyProcess.forEach(Process::destroyForcibly);
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    private static void stop(Process p) {
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
