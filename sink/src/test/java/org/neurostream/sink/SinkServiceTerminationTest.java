package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.neurostream.blobstore.FileBlobStore;

/** The owner of a SinkService learns when its poll loop has ended, and why. */
class SinkServiceTerminationTest {
    private static final RetryPolicy QUICK = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1));

    @TempDir
    Path tmp;

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer());

    @Test
    void aFailureThatStopsThePollLoopFailsTerminated() throws Exception {
        KafkaException failure = new KafkaException("broker gone for good");
        consumer.setPollException(failure);

        try (SinkService sink = service().start()) {
            // get() waits without a deadline of its own: the bound is only a guard against a hanging test
            assertThatThrownBy(() -> sink.terminated().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCause(failure);
        }
    }

    @Test
    void closeCompletesTerminatedNormally() throws Exception {
        SinkService sink = service().start();

        sink.close();

        assertThat(sink.terminated()).isCompleted();
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void closingAServiceThatNeverStartedCompletesTerminated() throws Exception {
        SinkService sink = service();

        sink.close();

        assertThat(sink.terminated()).isCompleted();
        assertThat(consumer.closed()).isTrue();
    }

    private SinkService service() throws Exception {
        ResultPackager packager = new ResultPackager(new FileBlobStore(tmp.resolve("blobs")));
        return new SinkService(statuses -> new ResultHandler(packager, List.of(new FolderTarget(tmp.resolve("out"))),
                QUICK, new SimpleMeterRegistry(), statuses), outcome -> { }, consumer, producer,
                new SimpleMeterRegistry());
    }
}
