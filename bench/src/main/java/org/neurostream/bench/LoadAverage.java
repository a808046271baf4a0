package org.neurostream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine's load average (as {@code uptime} prints it), recorded before and after each benchmark: on a
 * shared 2-core machine a figure measured beside other work must say so.
 */
public record LoadAverage(double oneMinute, double fiveMinutes, double fifteenMinutes) {

    /** Parses the first three fields of /proc/loadavg ("0.52 0.58 0.59 1/234 5678"). */
    public static LoadAverage parse(String procLoadavg) {
        String[] fields = procLoadavg.trim().split("\\s+");
        if (fields.length < 3) {
            throw new IllegalArgumentException("not a /proc/loadavg line: " + procLoadavg);
        }
        return new LoadAverage(Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
                Double.parseDouble(fields[2]));
    }

    /** The load now; null where /proc/loadavg cannot be read (not Linux). */
    public static LoadAverage now() {
        try {
            return parse(Files.readString(Path.of("/proc/loadavg")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether something besides a benchmark that keeps {@code ownThreads} cores busy was probably running. */
    public boolean busierThan(double ownThreads) {
        return oneMinute > ownThreads + 0.5;
    }

    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("1min", oneMinute);
        m.put("5min", fiveMinutes);
        m.put("15min", fifteenMinutes);
        return m;
    }

    @Override
    public String toString() {
        return oneMinute + " / " + fiveMinutes + " / " + fifteenMinutes + " (1 / 5 / 15 min)";
    }
}
