package org.neurostream.processor;

import java.nio.file.Path;
import org.neurostream.config.Settings;

/**
 * The processor's settings (see {@link Settings} for the file and environment overrides).
 *
 * <pre>
 * kafka.bootstrap.servers          (required)
 * blobstore.root                   (required) the blob store the events point into
 * processor.application-id         neurostream-processor   Kafka Streams application id (group and state names)
 * processor.state-dir              work/processor-state    local RocksDB state (rebuilt from Kafka when lost)
 * processor.model-dir              models/change-classifier
 * processor.stream-threads         1
 * processor.replication-factor     1   of the internal topics; 3 on a production cluster
 * </pre>
 */
public record ProcessorConfig(String bootstrapServers, Path blobStoreRoot, String applicationId, Path stateDir,
        Path modelDir, int streamThreads, int replicationFactor) {

    public static ProcessorConfig from(Settings s) {
        return new ProcessorConfig(
                s.required("kafka.bootstrap.servers"),
                Path.of(s.required("blobstore.root")),
                s.get("processor.application-id", "neurostream-processor"),
                s.path("processor.state-dir", "work/processor-state"),
                s.path("processor.model-dir", "models/change-classifier"),
                s.integer("processor.stream-threads", 1),
                s.integer("processor.replication-factor", 1));
    }
}
