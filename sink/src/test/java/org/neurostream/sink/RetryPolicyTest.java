package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    /** Waits are recorded, not slept, so a budget of minutes is checked in milliseconds. */
    private final List<Duration> waits = new ArrayList<>();

    @Test
    void aTimeBudgetKeepsRetryingPastAnyCountUntilTheTargetAnswers() throws Exception {
        RetryPolicy policy = new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(8), Duration.ofHours(12));
        AtomicInteger calls = new AtomicInteger();

        String answer = policy.call("store", () -> {
            if (calls.incrementAndGet() < 40) {
                throw new IOException("PACS down");
            }
            return "stored";
        }, (attempt, e, willRetry) -> assertThat(willRetry).isTrue(), waits::add);

        assertThat(answer).isEqualTo("stored");
        assertThat(calls).hasValue(40);
        // Doubling from 1 ms, capped at 8 ms.
        assertThat(waits.subList(0, 5)).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2),
                Duration.ofMillis(4), Duration.ofMillis(8), Duration.ofMillis(8));
    }

    @Test
    void givesUpOnceTheNextAttemptWouldStartBeyondTheTimeBudget() {
        RetryPolicy policy = new RetryPolicy(0, Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(150));
        AtomicInteger calls = new AtomicInteger();
        List<Boolean> willRetry = new ArrayList<>();

        assertThatThrownBy(() -> policy.call("store", () -> {
            calls.incrementAndGet();
            throw new IOException("PACS down");
        }, (attempt, e, retry) -> willRetry.add(retry), d -> Thread.sleep(d.toMillis())))
                .isInstanceOf(IOException.class);

        // 20 ms apart within 150 ms: at most 8 attempts, and the last one is told it is the last.
        assertThat(calls.get()).isBetween(2, 8);
        assertThat(willRetry.get(willRetry.size() - 1)).isFalse();
    }

    @Test
    void aPermanentRefusalIsNotRetriedAndAPolicyNeedsALimit() {
        RetryPolicy policy = new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofHours(1));
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> policy.call("store", () -> {
            calls.incrementAndGet();
            throw new DeliveryTarget.PermanentFailure("refused: 400");
        }, (attempt, e, retry) -> { }, waits::add)).isInstanceOf(DeliveryTarget.PermanentFailure.class);
        assertThat(calls).hasValue(1);
        assertThat(waits).isEmpty();

        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a limit");
    }
}
