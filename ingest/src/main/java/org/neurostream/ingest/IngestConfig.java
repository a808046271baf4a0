package org.neurostream.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.neurostream.config.Settings;

/**
 * Everything the ingest service needs to run, from a properties file plus environment overrides.
 *
 * <p>Every key has an environment variable: {@code NEUROSTREAM_} + the key upper-cased with dots as underscores
 * ({@code ingest.port} → {@code NEUROSTREAM_INGEST_PORT}). The environment wins over the file, the file over the
 * defaults. {@code blobstore.root}, {@code kafka.bootstrap.servers} and {@code patient.key.salt} carry no
 * {@code ingest.} prefix because every service must share them.
 */
public record IngestConfig(
        String aeTitle,
        int port,
        Path blobStoreDir,
        Duration quietPeriod,
        String kafkaBootstrapServers,
        String kafkaClientId,
        String patientKeySalt) {

    public static final String AE_TITLE = "ingest.ae.title";
    public static final String PORT = "ingest.port";
    public static final String QUIET_PERIOD_MS = "ingest.quiet.period.ms";
    public static final String KAFKA_CLIENT_ID = "ingest.kafka.client.id";
    public static final String BLOB_DIR = "blobstore.root";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String PATIENT_KEY_SALT = "patient.key.salt";

    public IngestConfig {
        require(aeTitle != null && !aeTitle.isBlank() && aeTitle.length() <= 16, AE_TITLE, "1 to 16 characters");
        require(port >= 0 && port <= 65535, PORT, "0..65535 (0 picks a free port)");
        require(blobStoreDir != null, BLOB_DIR, "a directory");
        require(quietPeriod != null && !quietPeriod.isNegative() && !quietPeriod.isZero(), QUIET_PERIOD_MS, "> 0");
        require(kafkaBootstrapServers != null && !kafkaBootstrapServers.isBlank(), KAFKA_BOOTSTRAP_SERVERS, "host:port");
        require(kafkaClientId != null && !kafkaClientId.isBlank(), KAFKA_CLIENT_ID, "a name");
        // Without a secret salt a patient key could be recomputed from a guessed patient id: no default on purpose.
        require(patientKeySalt != null && !patientKeySalt.isBlank(), PATIENT_KEY_SALT, "a site secret");
    }

    /** Reads {@code file} (may be null: defaults only) and applies the process environment. */
    public static IngestConfig load(Path file) throws IOException {
        return from(Settings.load(file));
    }

    public static IngestConfig load(Path file, Map<String, String> env) throws IOException {
        return from(Settings.load(file, env));
    }

    public static IngestConfig from(Settings s) {
        return new IngestConfig(
                s.get(AE_TITLE, "NEUROSTREAM"),
                s.integer(PORT, 11112),
                s.path(BLOB_DIR, "neurostream-blobs"),
                Duration.ofMillis(s.integer(QUIET_PERIOD_MS, 10_000)),
                s.get(KAFKA_BOOTSTRAP_SERVERS, "localhost:9092"),
                s.get(KAFKA_CLIENT_ID, "neurostream-ingest"),
                s.get(PATIENT_KEY_SALT, ""));
    }

    public IngestConfig withPort(int newPort) {
        return new IngestConfig(aeTitle, newPort, blobStoreDir, quietPeriod, kafkaBootstrapServers, kafkaClientId,
                patientKeySalt);
    }

    public IngestConfig withKafkaBootstrapServers(String servers) {
        return new IngestConfig(aeTitle, port, blobStoreDir, quietPeriod, servers, kafkaClientId, patientKeySalt);
    }

    /** Never prints the salt. */
    @Override
    public String toString() {
        return "IngestConfig[aeTitle=" + aeTitle + ", port=" + port + ", blobStoreDir=" + blobStoreDir
                + ", quietPeriod=" + quietPeriod + ", kafkaBootstrapServers=" + kafkaBootstrapServers
                + ", kafkaClientId=" + kafkaClientId + ", patientKeySalt=<hidden>]";
    }

    private static void require(boolean ok, String key, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("invalid or missing " + key + " (" + Settings.envName(key) + "): expected "
                    + expected);
        }
    }
}
