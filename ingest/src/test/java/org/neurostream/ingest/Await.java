package org.neurostream.ingest;

import java.time.Duration;
import java.util.function.BooleanSupplier;

final class Await {
    static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not reached within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    private Await() {
    }
}
