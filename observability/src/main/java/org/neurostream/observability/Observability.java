package org.neurostream.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The process's one Prometheus registry. It is added to Micrometer's global registry, so every meter any part of
 * NeuroStream records on {@link Metrics#globalRegistry} (or on a registry it was handed from {@link #registry()})
 * is scraped. JVM meters are bound once. Tags on NeuroStream meters are fixed codes (door, reason, target,
 * outcome, step, model, device): never patient data.
 */
public final class Observability {
    /** Prefix of every NeuroStream meter ({@code neurostream_} once rendered for Prometheus). */
    public static final String PREFIX = "neurostream.";

    private static PrometheusMeterRegistry prometheus;
    private static JvmGcMetrics gc;

    /** Where services record: the global registry (the Prometheus registry is one of its children). */
    public static io.micrometer.core.instrument.MeterRegistry registry() {
        prometheus();
        return Metrics.globalRegistry;
    }

    /** The Prometheus registry of this process, created (and added to the global registry) on first use. */
    public static synchronized PrometheusMeterRegistry prometheus() {
        if (prometheus == null) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            // promtool's lint reports time units other than seconds and gauges named *_count: Micrometer's JVM
            // and Kafka client binders produce both. The former are left out, the latter renamed.
            registry.config().meterFilter(MeterFilter.deny(id -> inAbbreviatedTimeUnit(id.getName())));
            registry.config().meterFilter(new MeterFilter() {
                @Override
                public Meter.Id map(Meter.Id id) {
                    String name = lintFree(id.getName());
                    Meter.Id named = name.equals(id.getName()) ? id : id.withName(name);
                    if (named.getDescription() != null && !named.getDescription().isBlank()) {
                        return named;
                    }
                    return new Meter.Id(named.getName(), Tags.of(named.getTagsAsIterable()), named.getBaseUnit(),
                            MeterDescriptions.of(named.getName()), named.getType());
                }
            });
            // Latency p50/p95 are computed by Prometheus (histogram_quantile) from buckets, so they aggregate over
            // pods; every NeuroStream timer and distribution therefore publishes a histogram.
            registry.config().meterFilter(new MeterFilter() {
                @Override
                public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                    if (!id.getName().startsWith(PREFIX)) {
                        return config;
                    }
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config);
                }
            });
            new JvmMemoryMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            Metrics.addRegistry(registry);
            prometheus = registry;
        }
        return prometheus;
    }

    /** A gauge named {@code ….connection.count} becomes {@code ….connections}, any other {@code ….count} {@code ….number}. */
    static String lintFree(String name) {
        if (name.equals("system.cpu.count")) {
            return "system.cpu.cores";
        }
        if (name.endsWith(".connection.count")) {
            return name.substring(0, name.length() - ".connection.count".length()) + ".connections";
        }
        if (name.endsWith(".count")) {
            return name.substring(0, name.length() - ".count".length()) + ".number";
        }
        return name;
    }

    /**
     * Meters in nanoseconds or milliseconds (Kafka clients' io/wait/commit/transaction times, start time; the
     * JVM's process CPU time): promtool wants seconds, and their ratio and rate counterparts remain.
     */
    static boolean inAbbreviatedTimeUnit(String name) {
        for (String part : name.split("\\.")) {
            if (part.equals("ns") || part.equals("ms") || part.equals("us")) {
                return true;
            }
        }
        return name.equals("process.cpu.time");
    }

    private Observability() {
    }
}
