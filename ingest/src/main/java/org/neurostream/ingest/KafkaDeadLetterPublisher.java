package org.neurostream.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.neurostream.schemas.DeadLetter;
import org.neurostream.schemas.kafka.AvroSerde;
import org.neurostream.schemas.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest's dead letters on Kafka. Keyed by the SOP Instance UID (or nothing): the patient key may not be known for
 * an object that did not parse. Sends happen on a thread of their own, so a Kafka outage (a producer blocks on
 * metadata for up to {@code max.block.ms}) never holds up a C-STORE response; when its queue is full the letter is
 * dropped with a WARN (the rejection's own log line and metric remain).
 */
final class KafkaDeadLetterPublisher implements DeadLetterPublisher {
    private static final Logger log = LoggerFactory.getLogger(KafkaDeadLetterPublisher.class);
    private static final int QUEUE = 1_000;

    private final KafkaProducer<String, DeadLetter> producer;
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "ingest-dead-letters");
                t.setDaemon(true);
                return t;
            }, (task, executor) -> log.warn("dead-letter queue full ({}), a dead letter was dropped", QUEUE));

    KafkaDeadLetterPublisher(String bootstrapServers, String clientId, Map<String, String> clientSettings) {
        Properties p = KafkaSeriesPublisher.producerProperties(bootstrapServers, clientId + "-dead-letters",
                clientSettings);
        producer = new KafkaProducer<>(p, new StringSerializer(), AvroSerde.of(DeadLetter.class).serializer());
    }

    @Override
    public void publish(DeadLetter letter) {
        sender.execute(() -> {
            try {
                producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS, letter.getSubjectId(), letter),
                        (metadata, error) -> {
                            if (error != null) {
                                log.error("dead letter for {} not accepted by Kafka: {}", letter.getSubjectId(),
                                        error.toString());
                            }
                        });
            } catch (RuntimeException e) {
                log.error("could not hand a dead letter for {} to the producer: {}", letter.getSubjectId(),
                        e.toString());
            }
        });
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
