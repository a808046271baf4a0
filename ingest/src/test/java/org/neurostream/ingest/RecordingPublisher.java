package org.neurostream.ingest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.neurostream.schemas.SeriesReceived;

/** Keeps what would have gone to Kafka. */
final class RecordingPublisher implements SeriesPublisher {
    final List<SeriesReceived> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(SeriesReceived event) {
        events.add(event);
    }

    @Override
    public void close() {
    }
}
