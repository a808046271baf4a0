package org.neurostream.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.DeadLetter;
import org.neurostream.schemas.DeliveryStatus;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink service: consumes {@link Topics#ANALYSIS_RESULTS}, hands each result to the {@link ResultHandler},
 * publishes every delivery attempt's outcome to {@link Topics#DELIVERY_STATUS}, writes a {@link DeadLetter} for
 * what could not be delivered, and commits each offset only after its record was fully handled (at-least-once;
 * the ids derived from the result id make a redelivery harmless at every target).
 */
public final class SinkService implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);
    private static final AvroSerde<AnalysisResult> RESULTS = AvroSerde.of(AnalysisResult.class);
    private static final AvroSerde<DeadLetter> DEAD_LETTERS = AvroSerde.of(DeadLetter.class);
    private static final AvroSerde<DeliveryStatus> STATUSES = AvroSerde.of(DeliveryStatus.class);
    private static final Duration PAUSE_AFTER_ERROR = Duration.ofSeconds(2);

    private final ResultHandler handler;
    private final Consumer<DeliveryOutcome> listener;
    private final MeterRegistry registry;
    private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    /** The Kafka clients' own metrics (consumer lag, request rates) next to ours. */
    private final List<KafkaClientMetrics> clientMetrics;
    private volatile boolean closing;
    private Thread thread;

    /** With given Kafka clients; the service closes them. */
    SinkService(Function<Consumer<DeliveryStatus>, ResultHandler> handler, Consumer<DeliveryOutcome> listener,
            org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
            MeterRegistry registry) {
        this.handler = handler.apply(this::publishStatus);
        this.handler.waitBetweenRetriesWith(this::waitWithPartitionsPaused);
        this.listener = listener;
        this.consumer = consumer;
        this.producer = producer;
        this.registry = registry;
        this.clientMetrics = List.of(new KafkaClientMetrics(consumer), new KafkaClientMetrics(producer));
        clientMetrics.forEach(m -> m.bindTo(registry));
    }

    /** A service with the targets the config enables, recording into Micrometer's global registry. */
    public static SinkService create(SinkConfig config, Consumer<DeliveryOutcome> listener) throws Exception {
        return create(config, listener, Metrics.globalRegistry);
    }

    /** A service with the targets the config enables and a file blob store at {@code blobstore.root}. */
    public static SinkService create(SinkConfig config, Consumer<DeliveryOutcome> listener, MeterRegistry registry)
            throws Exception {
        ResultPackager packager = new ResultPackager(new FileBlobStore(config.blobStoreRoot()),
                config.declineThreshold(), ZoneId.systemDefault(), config.segEnabled(), config.keyImageEnabled());
        List<DeliveryTarget> targets = targets(config);
        return new SinkService(
                statuses -> new ResultHandler(packager, targets, config.retry(), registry, statuses), listener,
                new KafkaConsumer<>(consumerProps(config), new StringDeserializer(), new ByteArrayDeserializer()),
                new KafkaProducer<>(producerProps(config), new StringSerializer(), new ByteArraySerializer()),
                registry);
    }

    public static List<DeliveryTarget> targets(SinkConfig config) {
        List<DeliveryTarget> targets = new ArrayList<>();
        if (config.folderEnabled()) {
            targets.add(new FolderTarget(config.folderDir()));
        }
        if (config.pacsEnabled()) {
            targets.add(new DicomStoreTarget(config.pacsHost(), config.pacsPort(), config.pacsCalledAet(),
                    config.pacsCallingAet(), config.pacsRestUrl()));
        }
        if (config.stow().enabled()) {
            targets.add(new StowTarget(config.stow().url(), config.stow().authorization(), config.httpTimeout()));
        }
        if (config.fhir().enabled()) {
            targets.add(new FhirTarget(config.fhir().baseUrl(), config.fhir().authorization(), config.httpTimeout(),
                    config.declineThreshold()));
        }
        SinkConfig.Hl7 hl7 = config.hl7();
        if (hl7.enabled()) {
            targets.add(new Hl7Target(hl7.host(), hl7.port(), config.httpTimeout(), new OruBuilder(
                    hl7.sendingApplication(), hl7.sendingFacility(), hl7.receivingApplication(),
                    hl7.receivingFacility(), ZoneId.systemDefault())));
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no delivery target enabled (sink.folder.dir, sink.pacs.enabled, "
                    + "sink.stow.enabled, sink.fhir.enabled, sink.hl7.enabled)");
        }
        return targets;
    }

    /** One record per attempt outcome per target; acknowledged before the result's offset is committed. */
    private void publishStatus(DeliveryStatus status) {
        producer.send(new ProducerRecord<>(Topics.DELIVERY_STATUS, status.getResultId(), STATUSES.toBytes(status)),
                (metadata, e) -> {
                    if (e != null) {
                        LOG.warn("delivery status for result {} not published: {}", status.getResultId(),
                                e.toString());
                    }
                });
    }

    /** Runs the poll loop on a thread of its own. */
    public synchronized SinkService start() {
        thread = new Thread(this, "neurostream-sink");
        thread.start();
        return this;
    }

    /**
     * Completes when the poll loop has ended: normally after {@link #close()}, exceptionally when a failure
     * stopped it for good ({@code get()} then throws an ExecutionException whose cause is that failure). The owner
     * should then close the service and exit non-zero, so that a restart resumes at the last commit. Each call
     * returns a new dependent future, so a caller cannot complete the service's own.
     */
    public CompletableFuture<Void> terminated() {
        return terminated.copy();
    }

    @Override
    public void run() {
        try {
            pollUntilClosed();
            terminated.complete(null);
        } catch (Throwable e) {
            terminated.completeExceptionally(e);
            throw e;
        }
    }

    private void pollUntilClosed() {
        consumer.subscribe(List.of(Topics.ANALYSIS_RESULTS));
        try {
            while (!closing) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!handleAndCommit(record)) {
                        break; // rewound to this record: poll again after the pause
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                throw e;
            }
        } catch (RuntimeException e) {
            // E.g. Kafka unreachable while rewinding: stop rather than skip records; a restart resumes at the
            // last commit.
            LOG.error("sink stopped: {}", e.toString(), e);
            throw e;
        } finally {
            consumer.close();
        }
    }

    /** Returns false when the record could not be finished (e.g. Kafka down) and will be read again. */
    private boolean handleAndCommit(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try {
            DeliveryOutcome outcome = handle(record);
            if (outcome != null) {
                notifyListener(outcome);
            }
            producer.flush(); // the delivery statuses of this record are on the broker before its commit
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
            return true;
        } catch (WakeupException e) {
            throw e;
        } catch (Exception e) {
            if (closing) {
                return false; // closed mid-retry: the record stays uncommitted and is read again after a restart
            }
            LOG.error("record {}-{}@{} not finished, will read it again: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
            rewindToCommitted();
            sleepQuietly(PAUSE_AFTER_ERROR);
            return false;
        }
    }

    /**
     * Spends a wait between delivery retries polling with every assigned partition paused. A target may be down
     * for hours (see {@link RetryPolicy}); sleeping instead would overrun {@code max.poll.interval.ms} (5 min),
     * the group would evict this consumer and hand its partitions on, and the record would be delivered twice at
     * once. Paused, the consumer stays in the group and fetches nothing; results wait, in order, on the topic.
     */
    private void waitWithPartitionsPaused(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            consumer.pause(consumer.assignment());
            while (!closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                var fetched = consumer.poll(Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
                // A rebalance inside poll can assign partitions that are not paused yet: put back what they gave,
                // to be read in order after the wait, and pause them too.
                for (TopicPartition tp : fetched.partitions()) {
                    consumer.seek(tp, fetched.records(tp).get(0).offset());
                }
                consumer.pause(consumer.assignment());
            }
            throw new InterruptedException("sink closing");
        } catch (WakeupException e) {
            throw new InterruptedException("sink closing");
        } finally {
            consumer.resume(consumer.paused());
        }
    }

    private void notifyListener(DeliveryOutcome outcome) {
        try {
            listener.accept(outcome);
        } catch (RuntimeException e) {
            // A listener's bug must not make the sink re-deliver the record forever.
            LOG.warn("outcome listener failed for result {}: {}", outcome.resultId(), e.toString());
        }
    }

    /**
     * After a failure mid-batch, every assigned partition goes back to its last commit (each record is committed
     * on its own, so that is exactly the first record not yet handled), including partitions later in the batch.
     */
    private void rewindToCommitted() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset != null) {
                consumer.seek(tp, offset.offset());
            } else {
                consumer.seekToBeginning(List.of(tp)); // nothing committed yet (auto.offset.reset=earliest)
            }
        }
    }

    private DeliveryOutcome handle(ConsumerRecord<String, byte[]> record) throws Exception {
        AnalysisResult result;
        try {
            result = RESULTS.fromBytes(record.value());
        } catch (RuntimeException e) {
            deadLetter(record, null, "cannot decode AnalysisResult at " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + ": " + e.getClass().getSimpleName(), "undecodable");
            return null;
        }
        DeliveryOutcome outcome = handler.handle(result);
        if (outcome.status() == DeliveryOutcome.Status.FAILED) {
            deadLetter(record, result.getResultId(), outcome.reason(), outcome.reasonCode());
        }
        return outcome;
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String subjectId, String reason, String reasonCode)
            throws Exception {
        DeadLetter letter = DeadLetter.newBuilder()
                .setStage("sink")
                .setReason(reason)
                .setKey(record.key())
                .setSubjectId(subjectId)
                .setPayload(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setAtMillis(System.currentTimeMillis())
                .build();
        // Wait for the broker's ack: the offset is committed right after, so the letter must not be lost.
        producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, record.key(), DEAD_LETTERS.toBytes(letter))).get();
        Counter.builder("neurostream.dead.letters").tag("stage", "sink").tag("reason", reasonCode)
                .register(registry).increment();
        LOG.warn("dead letter for result {} ({}): {}", subjectId, reasonCode, reason);
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            consumer.close(); // never started: no poll loop to close it
            terminated.complete(null);
        } else if (t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
        clientMetrics.forEach(KafkaClientMetrics::close);
    }

    private static Properties consumerProps(SinkConfig config) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A record may spend a while in delivery retries: fetch few at a time.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
        p.putAll(config.kafkaClientSettings()); // a site's security.protocol, SASL and TLS settings
        return p;
    }

    private static Properties producerProps(SinkConfig config) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putAll(config.kafkaClientSettings());
        return p;
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
