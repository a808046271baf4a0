package org.neurostream.ingest;

import org.neurostream.schemas.DeadLetter;

/**
 * Where ingest sets aside what it refused (stage {@code ingest} on {@code neurostream.dead-letters}): the one place
 * an operator reads every refusal, whichever door it came through. Never blocks the door and never throws.
 */
public interface DeadLetterPublisher extends AutoCloseable {
    /** When the series publisher is not Kafka (tests): the WARN line and the metric are the record. */
    DeadLetterPublisher NONE = new DeadLetterPublisher() {
        @Override
        public void publish(DeadLetter letter) {
        }

        @Override
        public void close() {
        }
    };

    void publish(DeadLetter letter);

    @Override
    void close();
}
