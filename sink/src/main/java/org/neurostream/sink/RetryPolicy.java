package org.neurostream.sink;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A few attempts with exponential backoff (doubling, capped): rides out a PACS restart, gives up on an outage. */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        }
    }

    /** Runs the call until it succeeds or the attempts are used up; then throws the last failure. */
    public <T> T call(String what, Callable<T> call) throws Exception {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (Exception e) {
                if (attempt >= attempts) {
                    throw e;
                }
                LOG.warn("{} failed (attempt {}/{}), retrying in {} ms: {}", what, attempt, attempts,
                        backoff.toMillis(), e.getMessage());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }
}
