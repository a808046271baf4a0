package org.neurostream.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads timers out of a Prometheus text exposition (a service's /metrics), e.g. the processor's
 * {@code neurostream_processor_step_seconds} per step, so a benchmark reports what the service itself measured.
 */
public final class PrometheusText {
    /** One timer series: how many times it was recorded and the seconds in all. */
    public record Timer(long count, double sumSeconds) {
        public double meanSeconds() {
            return count == 0 ? Double.NaN : sumSeconds / count;
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * The timer {@code name} (without _count/_sum) by the value of {@code label}, in order of first appearance;
     * series without that label are ignored, and series that differ only in other labels are added up.
     */
    public static Map<String, Timer> timers(String exposition, String name, String label) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (!m.matches()) {
                continue; // comments (# HELP, # TYPE), blank lines, samples without labels
            }
            boolean isCount = m.group(1).equals(name + "_count");
            boolean isSum = m.group(1).equals(name + "_sum");
            if (!isCount && !isSum) {
                continue;
            }
            String key = labelValue(m.group(2), label);
            if (key == null) {
                continue;
            }
            double value = Double.parseDouble(m.group(3));
            counts.computeIfAbsent(key, k -> new long[1]);
            sums.computeIfAbsent(key, k -> new double[1]);
            if (isCount) {
                counts.get(key)[0] += (long) value;
            } else {
                sums.get(key)[0] += value;
            }
        }
        Map<String, Timer> timers = new LinkedHashMap<>();
        counts.forEach((key, count) -> timers.put(key, new Timer(count[0], sums.get(key)[0])));
        return timers;
    }

    private static String labelValue(String labels, String label) {
        Matcher m = LABEL.matcher(labels);
        while (m.find()) {
            if (m.group(1).equals(label)) {
                return m.group(2).replace("\\\"", "\"").replace("\\\\", "\\");
            }
        }
        return null;
    }

    private PrometheusText() {
    }
}
