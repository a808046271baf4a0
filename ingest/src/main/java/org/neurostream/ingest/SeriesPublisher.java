package org.neurostream.ingest;

import org.neurostream.schemas.SeriesReceived;

/** Where completed series go. Kafka in production; a list in tests. */
public interface SeriesPublisher extends AutoCloseable {
    /** Hands the event over for delivery; failures are reported (logged and counted), never thrown. */
    void publish(SeriesReceived event);

    @Override
    void close();
}
