package org.neurostream.observability;

import java.util.Map;

/**
 * The HELP text of every NeuroStream meter, in one place (Prometheus shows it; promtool requires it). A meter
 * registered with a description of its own keeps it. the README's Operations section explains each one for operators.
 */
final class MeterDescriptions {
    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("neurostream.ingest.instances.stored", "DICOM instances received and stored in the blob store"),
            Map.entry("neurostream.ingest.instances.rejected", "DICOM instances refused, by reason code"),
            Map.entry("neurostream.ingest.received", "Bytes of DICOM instances received and stored"),
            Map.entry("neurostream.ingest.series.emitted", "Series complete and announced as SeriesReceived"),
            Map.entry("neurostream.ingest.series.completion.delay",
                    "Time from a series' first instance to the series being complete (includes the quiet period)"),
            Map.entry("neurostream.ingest.publish.failures", "SeriesReceived events Kafka did not accept after retries"),
            Map.entry("neurostream.ingest.requests.refused", "Whole requests refused before any instance was read, by door and reason"),
            Map.entry("neurostream.ingest.import.skipped", "Files a folder or zip import left alone, by reason"),
            Map.entry("neurostream.pairing.outcomes", "Pairing outcomes of pairable series, by outcome and reason code"),
            Map.entry("neurostream.prior.fetches", "Query/retrieve of missing priors from the PACS, by outcome"),
            Map.entry("neurostream.processor.step.seconds", "Time spent per processing step (assembly, preparation, inference)"),
            Map.entry("neurostream.processor.step.failures", "Processing steps that failed, by step"),
            Map.entry("neurostream.inference.seconds", "Model inference time, by model and device"),
            Map.entry("neurostream.deliveries", "Delivery attempts' final outcomes, by target and outcome"),
            Map.entry("neurostream.delivery.retries", "Delivery attempts that will be retried"),
            Map.entry("neurostream.dead.letters", "Inputs sent to the dead-letter topic, by stage and reason code"),
            Map.entry("neurostream.end.to.end.latency",
                    "Time from a follow-up series being complete to its result being delivered"),
            Map.entry("neurostream.status.events", "Events the status page has read, by topic"));

    static String of(String name) {
        String known = KNOWN.get(name);
        if (known != null) {
            return known;
        }
        return name.startsWith(Observability.PREFIX) ? "NeuroStream meter " + name : "Meter " + name;
    }

    private MeterDescriptions() {
    }
}
