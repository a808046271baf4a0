package org.neurostream.sink;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attempts with exponential backoff (doubling, capped) within a budget: gives up when {@code attempts} are used
 * (0: no limit by count) or when the next attempt would start more than {@code maxElapsed} after the first (zero:
 * no limit by time). A hospital's PACS goes down for maintenance for minutes to hours; a result must wait for it,
 * not become a dead letter that someone has to replay by hand, so the sink's default budget is by time and long
 * (see {@link SinkConfig}). At least one limit must be set. A {@link DeliveryTarget.PermanentFailure} is not
 * retried: the same request would be refused again.
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff, Duration maxElapsed) {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    /** Told about every failed attempt. */
    public interface Listener {
        void failed(int attempt, Exception e, boolean willRetry);
    }

    /** How the wait between two attempts is spent (the sink keeps its Kafka consumer alive meanwhile). */
    public interface Waiter {
        void await(Duration duration) throws InterruptedException;

        Waiter SLEEP = d -> Thread.sleep(d.toMillis());
    }

    /** A budget by count only. */
    public RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {
        this(attempts, initialBackoff, maxBackoff, Duration.ZERO);
    }

    public RetryPolicy {
        if (attempts < 0 || maxElapsed.isNegative()) {
            throw new IllegalArgumentException("attempts and maximum elapsed time cannot be negative");
        }
        if (attempts == 0 && maxElapsed.isZero()) {
            throw new IllegalArgumentException("a retry policy needs a limit: attempts or a maximum elapsed time");
        }
    }

    public <T> T call(String what, Callable<T> call) throws Exception {
        return call(what, call, (attempt, e, willRetry) -> { }, Waiter.SLEEP);
    }

    public <T> T call(String what, Callable<T> call, Listener listener) throws Exception {
        return call(what, call, listener, Waiter.SLEEP);
    }

    /** Runs the call until it succeeds or the budget is used up; then throws the last failure. */
    public <T> T call(String what, Callable<T> call, Listener listener, Waiter waiter) throws Exception {
        long started = System.nanoTime();
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (Exception e) {
                Duration elapsedAtNext = Duration.ofNanos(System.nanoTime() - started).plus(backoff);
                boolean retry = !(e instanceof DeliveryTarget.PermanentFailure)
                        && (attempts == 0 || attempt < attempts)
                        && (maxElapsed.isZero() || elapsedAtNext.compareTo(maxElapsed) <= 0);
                listener.failed(attempt, e, retry);
                if (!retry) {
                    throw e;
                }
                LOG.warn("{} failed (attempt {}{}), retrying in {} ms: {}", what, attempt,
                        attempts == 0 ? "" : "/" + attempts, backoff.toMillis(), e.getMessage());
                waiter.await(backoff);
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /** The budget, for a dead letter's reason: "after 3 attempts", "after 720 min of retries". */
    String describeBudget() {
        String time = maxElapsed.toMinutes() > 0 ? maxElapsed.toMinutes() + " min of retries"
                : maxElapsed.toMillis() + " ms of retries";
        if (attempts == 0) {
            return time;
        }
        return maxElapsed.isZero() ? attempts + " attempts" : attempts + " attempts or " + time;
    }
}
