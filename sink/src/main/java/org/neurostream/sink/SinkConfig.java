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
 * (e.g. {@code sink.pacs.host} ← {@code NEUROSTREAM_SINK_PACS_HOST}).
 *
 * <pre>
 * kafka.bootstrap.servers        (required)
 * blobstore.root                 (required) the shared blob store the events point into
 * sink.group.id                  neurostream-sink
 * sink.folder.enabled            true
 * sink.folder.dir                (empty: folder target off)
 * sink.pacs.enabled              true
 * sink.pacs.host                 localhost
 * sink.pacs.port                 4242
 * sink.pacs.called-aet           ORTHANC
 * sink.pacs.calling-aet          NEUROSTREAM
 * sink.pacs.rest-url             (optional) Orthanc REST base URL, to report each SR's URL
 * sink.retry.attempts            4
 * sink.retry.initial-backoff-ms  500
 * sink.retry.max-backoff-ms      8000
 * sink.decline-threshold         0.5  P(decline) at or above which the finding reads "Decline"
 * </pre>
 */
public record SinkConfig(String bootstrapServers, String groupId, Path blobStoreRoot,
                         boolean folderEnabled, Path folderDir,
                         boolean pacsEnabled, String pacsHost, int pacsPort, String pacsCalledAet,
                         String pacsCallingAet, String pacsRestUrl,
                         RetryPolicy retry, double declineThreshold) {

    public static SinkConfig load(Path file, Map<String, String> env) throws IOException {
        return from(Settings.load(file, env));
    }

    public static SinkConfig from(Properties props, Map<String, String> env) {
        return from(new Settings(props, env));
    }

    public static SinkConfig from(Settings s) {
        String folderDir = s.get("sink.folder.dir", "");
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
                new RetryPolicy(s.integer("sink.retry.attempts", 4),
                        Duration.ofMillis(s.integer("sink.retry.initial-backoff-ms", 500)),
                        Duration.ofMillis(s.integer("sink.retry.max-backoff-ms", 8000))),
                s.decimal("sink.decline-threshold", 0.5));
    }
}
