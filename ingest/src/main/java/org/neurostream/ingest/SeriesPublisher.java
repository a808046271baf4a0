package org.neurostream.ingest;

import java.util.concurrent.CompletableFuture;
import org.neurostream.schemas.SeriesReceived;

/** Where completed series go. Kafka in production; a list in tests. */
public interface SeriesPublisher extends AutoCloseable {
    /**
     * Hands the event over for delivery; failures are reported (logged and counted), never thrown.
     *
     * @return completes when the event is durably accepted (Kafka: acknowledged); completes exceptionally when
     *     it was not, so the caller can tell a published series from a lost one
     */
    CompletableFuture<Void> publish(SeriesReceived event);

    @Override
    void close();
}
