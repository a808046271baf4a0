package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceCommandTest {
    @Test
    void aServiceThatStopsByItselfIsClosedOnceAndTheProcessExitsNonZero() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        CompletableFuture<Void> stopped = CompletableFuture.failedFuture(new IllegalStateException("poll failed"));
        assertThat(ServiceCommand.runUntilStopped(closes::incrementAndGet, stopped)).isEqualTo(1);
        assertThat(closes).hasValue(1);
    }
}
