package org.neurostream.sink;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attempts with exponential backoff (doubling, capped): rides out a PACS restart, gives up on a long outage.
 * A {@link DeliveryTarget.PermanentFailure} is not retried: the same request would be refused again.
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    /** Told about every failed attempt. */
    public interface Listener {
        void failed(int attempt, Exception e, boolean willRetry);
    }

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        }
    }

    public <T> T call(String what, Callable<T> call) throws Exception {
        return call(what, call, (attempt, e, willRetry) -> { });
    }

    /** Runs the call until it succeeds or the attempts are used up; then throws the last failure. */
    public <T> T call(String what, Callable<T> call, Listener listener) throws Exception {
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (Exception e) {
                boolean retry = attempt < attempts && !(e instanceof DeliveryTarget.PermanentFailure);
                listener.failed(attempt, e, retry);
                if (!retry) {
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
