package org.neurostream.processor.preparation;

import java.util.Map;

/** Runs one named step of the work on a pair and records how long it took (also when it fails). */
public final class Steps {
    public interface Step<T, E extends Exception> {
        T run() throws E;
    }

    public static <T, E extends Exception> T timed(Map<String, Long> stageMillis, String name, Step<T, E> step)
            throws E {
        long start = System.nanoTime();
        try {
            return step.run();
        } finally {
            stageMillis.put(name, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private Steps() {
    }
}
