package org.neurostream.ingest;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.neurostream.schemas.SeriesReceived;

/** Keeps what would have gone to Kafka; the first {@code failures} publishes fail as Kafka's would. */
final class RecordingPublisher implements SeriesPublisher {
    final List<SeriesReceived> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures;

    RecordingPublisher() {
        this(0);
    }

    RecordingPublisher(int failures) {
        this.failures = new AtomicInteger(failures);
    }

    @Override
    public CompletableFuture<Void> publish(SeriesReceived event) {
        events.add(event);
        return failures.getAndDecrement() > 0
                ? CompletableFuture.failedFuture(new IllegalStateException("delivery timed out"))
                : CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
    }
}
