package org.neurostream.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.neurostream.config.Settings;

/**
 * The sink's settings: a properties file, each key overridable by an environment variable named
 * {@link Settings#envName}
 * (e.g. {@code sink.pacs.host} ← {@code NEUROSTREAM_SINK_PACS_HOST}). Every target is enabled and addressed here.
 *
 * <table>
 * <caption>keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>kafka.bootstrap.servers</td><td>(required)</td><td>the Kafka cluster</td></tr>
 * <tr><td>blobstore.root</td><td>(required)</td><td>the shared blob store the events point into</td></tr>
 * <tr><td>sink.group.id</td><td>neurostream-sink</td><td>consumer group</td></tr>
 * <tr><td>sink.folder.enabled</td><td>true</td><td>folder target (needs sink.folder.dir)</td></tr>
 * <tr><td>sink.folder.dir</td><td>(empty: off)</td><td>writes every SR, SEG, key image (and its PNG) here</td></tr>
 * <tr><td>sink.pacs.enabled</td><td>true</td><td>C-STORE target ({@code pacs})</td></tr>
 * <tr><td>sink.pacs.host / .port</td><td>localhost / 4242</td><td>the PACS's DICOM address</td></tr>
 * <tr><td>sink.pacs.called-aet / .calling-aet</td><td>ORTHANC / NEUROSTREAM</td><td>AE titles</td></tr>
 * <tr><td>sink.pacs.rest-url</td><td>(optional)</td><td>Orthanc REST base URL, to report each SR's URL</td></tr>
 * <tr><td>sink.stow.enabled</td><td>false</td><td>DICOMweb STOW-RS target ({@code pacs-stow})</td></tr>
 * <tr><td>sink.stow.url</td><td>(required when enabled)</td><td>DICOMweb root, e.g. http://pacs:8042/dicom-web</td></tr>
 * <tr><td>sink.stow.authorization</td><td>(none)</td><td>Authorization header value</td></tr>
 * <tr><td>sink.fhir.enabled</td><td>false</td><td>FHIR R4 target ({@code fhir})</td></tr>
 * <tr><td>sink.fhir.base-url</td><td>(required when enabled)</td><td>FHIR base, e.g. http://ehr/fhir</td></tr>
 * <tr><td>sink.fhir.authorization</td><td>(none)</td><td>Authorization header value</td></tr>
 * <tr><td>sink.hl7.enabled</td><td>false</td><td>HL7 v2 ORU^R01 over MLLP target ({@code hl7})</td></tr>
 * <tr><td>sink.hl7.host / .port</td><td>localhost / 2575</td><td>the RIS's MLLP listener</td></tr>
 * <tr><td>sink.hl7.sending-application / .sending-facility</td><td>NEUROSTREAM / NEUROSTREAM</td><td>MSH-3/4</td></tr>
 * <tr><td>sink.hl7.receiving-application / .receiving-facility</td><td>RIS / HOSPITAL</td><td>MSH-5/6</td></tr>
 * <tr><td>sink.http.timeout-ms</td><td>10000</td><td>STOW-RS, FHIR and MLLP connect/answer timeout</td></tr>
 * <tr><td>sink.seg.enabled</td><td>true</td><td>build a DICOM SEG when a result has label maps</td></tr>
 * <tr><td>sink.key-image.enabled</td><td>true</td><td>build the key image when a result has new lesions</td></tr>
 * <tr><td>sink.retry.max-elapsed-ms</td><td>43200000 (12 h)</td><td>how long a target is retried before the result becomes a dead letter: a PACS or EHR down for maintenance (minutes to a night) holds results back, in order, until it is back; 0: no limit by time</td></tr>
 * <tr><td>sink.retry.attempts</td><td>0 (no limit)</td><td>optional limit by count as well (e.g. 10 with the waits below: about 2.5 minutes)</td></tr>
 * <tr><td>sink.retry.initial-backoff-ms</td><td>1000</td><td>first wait; doubles after each failure</td></tr>
 * <tr><td>sink.retry.max-backoff-ms</td><td>30000</td><td>longest wait (also the longest a target that came back waits for its next attempt)</td></tr>
 * <tr><td>sink.decline-threshold</td><td>0.5</td><td>P(decline) at or above which the finding reads "Decline"</td></tr>
 * <tr><td>sink.kafka.*</td><td>(none)</td><td>passed to the Kafka consumer and producer as they are (file only), e.g. sink.kafka.security.protocol=SASL_SSL</td></tr>
 * </table>
 */
public record SinkConfig(String bootstrapServers, String groupId, Path blobStoreRoot,
                         boolean folderEnabled, Path folderDir,
                         boolean pacsEnabled, String pacsHost, int pacsPort, String pacsCalledAet,
                         String pacsCallingAet, String pacsRestUrl,
                         Stow stow, Fhir fhir, Hl7 hl7, Duration httpTimeout,
                         boolean segEnabled, boolean keyImageEnabled,
                         RetryPolicy retry, double declineThreshold,
                         Map<String, String> kafkaClientSettings) {

    public SinkConfig {
        kafkaClientSettings = kafkaClientSettings != null ? Map.copyOf(kafkaClientSettings) : Map.of();
    }

    /**
     * 12 hours: longer than a night's PACS maintenance window, far shorter than Kafka's retention (7 days by
     * default), so results wait on the topic for a target that is down instead of becoming dead letters.
     */
    static final int DEFAULT_RETRY_BUDGET_MS = 12 * 60 * 60 * 1000;

    public record Stow(boolean enabled, String url, String authorization) {
    }

    public record Fhir(boolean enabled, String baseUrl, String authorization) {
    }

    public record Hl7(boolean enabled, String host, int port, String sendingApplication, String sendingFacility,
                      String receivingApplication, String receivingFacility) {
    }

    public static SinkConfig load(Path file, Map<String, String> env) throws IOException {
        return from(Settings.load(file, env));
    }

    public static SinkConfig from(Properties props, Map<String, String> env) {
        return from(new Settings(props, env));
    }

    public static SinkConfig from(Settings s) {
        String folderDir = s.get("sink.folder.dir", "");
        boolean stowEnabled = s.bool("sink.stow.enabled", false);
        boolean fhirEnabled = s.bool("sink.fhir.enabled", false);
        return new SinkConfig(
                s.required("kafka.bootstrap.servers"),
                s.get("sink.group.id", "neurostream-sink"),
                Path.of(s.required("blobstore.root")),
                s.bool("sink.folder.enabled", true) && !folderDir.isBlank(),
                folderDir.isBlank() ? null : Path.of(folderDir),
                s.bool("sink.pacs.enabled", true),
                s.get("sink.pacs.host", "localhost"),
                s.integer("sink.pacs.port", 4242),
                s.get("sink.pacs.called-aet", "ORTHANC"),
                s.get("sink.pacs.calling-aet", "NEUROSTREAM"),
                s.get("sink.pacs.rest-url", ""),
                new Stow(stowEnabled, stowEnabled ? s.required("sink.stow.url") : s.get("sink.stow.url", ""),
                        s.get("sink.stow.authorization", "")),
                new Fhir(fhirEnabled, fhirEnabled ? s.required("sink.fhir.base-url")
                        : s.get("sink.fhir.base-url", ""), s.get("sink.fhir.authorization", "")),
                new Hl7(s.bool("sink.hl7.enabled", false), s.get("sink.hl7.host", "localhost"),
                        s.integer("sink.hl7.port", 2575),
                        s.get("sink.hl7.sending-application", "NEUROSTREAM"),
                        s.get("sink.hl7.sending-facility", "NEUROSTREAM"),
                        s.get("sink.hl7.receiving-application", "RIS"),
                        s.get("sink.hl7.receiving-facility", "HOSPITAL")),
                Duration.ofMillis(s.integer("sink.http.timeout-ms", 10_000)),
                s.bool("sink.seg.enabled", true),
                s.bool("sink.key-image.enabled", true),
                new RetryPolicy(s.integer("sink.retry.attempts", 0),
                        Duration.ofMillis(s.integer("sink.retry.initial-backoff-ms", 1000)),
                        Duration.ofMillis(s.integer("sink.retry.max-backoff-ms", 30000)),
                        Duration.ofMillis(s.integer("sink.retry.max-elapsed-ms", DEFAULT_RETRY_BUDGET_MS))),
                s.decimal("sink.decline-threshold", 0.5),
                s.withPrefix("sink.kafka."));
    }
}
