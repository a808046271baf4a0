package org.neurostream.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker with fixed ports and a kept data dir comes back at the same address with its topics and records. */
class BrokerRestartTest {
    @TempDir
    Path dir;

    @Test
    void aRestartInPlaceKeepsTheAddressTheTopicsAndTheRecords() throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        int controllerPort = EmbeddedKafkaBroker.freePort();
        String firstAddress;
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, false, port, controllerPort).start()) {
            firstAddress = broker.bootstrapServers();
            broker.createTopics(List.of("kept"), 2);
            produce(firstAddress, "before");
        }
        try (EmbeddedKafkaBroker again = new EmbeddedKafkaBroker(dir, false, port, controllerPort).start()) {
            assertThat(again.bootstrapServers()).isEqualTo(firstAddress).isEqualTo("127.0.0.1:" + port);
            produce(again.bootstrapServers(), "after");
            assertThat(consumeAll(again.bootstrapServers(), 2)).containsExactlyInAnyOrder("before", "after");
        }
    }

    @Test
    void brokerAndControllerCannotShareAPort() {
        assertThatThrownBy(() -> new EmbeddedKafkaBroker(dir, false, 9092, 9092))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void produce(String bootstrap, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("kept", value, value)).get();
        }
    }

    private static List<String> consumeAll(String bootstrap, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "restart-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("kept"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
