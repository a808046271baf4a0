package org.neurostream.processor.preparation;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one named step of the work on a pair and records how long it took (also when it fails): in the result's
 * stage timings and as {@code neurostream.processor.step.seconds{step}} (failures also as
 * {@code neurostream.processor.step.failures{step}}). Step names are fixed codes, never patient data.
 */
public final class Steps {
    static final String STEP_SECONDS = "neurostream.processor.step.seconds";
    static final String STEP_FAILURES = "neurostream.processor.step.failures";

    public interface Step<T, E extends Exception> {
        T run() throws E;
    }

    public static <T, E extends Exception> T timed(Map<String, Long> stageMillis, String name, Step<T, E> step)
            throws E {
        long start = System.nanoTime();
        boolean done = false;
        try {
            T value = step.run();
            done = true;
            return value;
        } finally {
            long nanos = System.nanoTime() - start;
            stageMillis.put(name, nanos / 1_000_000);
            Timer.builder(STEP_SECONDS).tag("step", name).register(Metrics.globalRegistry)
                    .record(nanos, TimeUnit.NANOSECONDS);
            if (!done) {
                Metrics.counter(STEP_FAILURES, "step", name).increment();
            }
        }
    }

    private Steps() {
    }
}
