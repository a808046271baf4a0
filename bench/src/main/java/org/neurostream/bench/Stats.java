package org.neurostream.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Summary statistics of measured samples (latencies, times per step). */
public final class Stats {
    /**
     * The p-th percentile (0..100) by linear interpolation between the closest ranks (numpy's default), so p50 of
     * an even count is the mean of the two middle values; NaN for no samples.
     */
    public static double percentile(Collection<? extends Number> samples, double p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be within 0..100: " + p);
        }
        List<Double> sorted = samples.stream().map(Number::doubleValue).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        double rank = p / 100 * (sorted.size() - 1);
        int below = (int) Math.floor(rank);
        int above = (int) Math.ceil(rank);
        return sorted.get(below) + (rank - below) * (sorted.get(above) - sorted.get(below));
    }

    public static double mean(Collection<? extends Number> samples) {
        return samples.stream().mapToDouble(Number::doubleValue).average().orElse(Double.NaN);
    }

    public static double max(Collection<? extends Number> samples) {
        return samples.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }

    /** Items per hour when {@code count} items took {@code millis} in all; NaN when nothing was timed. */
    public static double perHour(int count, long millis) {
        return millis <= 0 ? Double.NaN : count * 3_600_000.0 / millis;
    }

    /** Rounded to {@code digits} decimals, for figures people read (JSON keeps this too, not float noise). */
    public static double round(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /**
     * The mean of each key over the samples that have it (e.g. each processor step over the pairs), slowest first:
     * a breakdown answers "where does the time go". Means are rounded to whole units.
     */
    public static Map<String, Double> meansByKeySlowestFirst(List<? extends Map<String, ? extends Number>> samples) {
        Map<String, List<Number>> byKey = new LinkedHashMap<>();
        for (Map<String, ? extends Number> sample : samples) {
            sample.forEach((k, v) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        Map<String, Double> means = new LinkedHashMap<>();
        byKey.entrySet().stream()
                .sorted((a, b) -> Double.compare(mean(b.getValue()), mean(a.getValue())))
                .forEach(e -> means.put(e.getKey(), round(mean(e.getValue()), 0)));
        return means;
    }

    private Stats() {
    }
}
