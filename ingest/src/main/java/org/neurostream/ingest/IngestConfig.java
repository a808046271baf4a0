package org.neurostream.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
        String patientKeySalt,
        CallingAePolicy callingAes,
        StowOptions stow,
        ChangeFeedOptions changeFeed,
        Map<String, String> kafkaClientSettings) {

    /**
     * The DICOMweb STOW-RS door.
     *
     * @param port         -1: off (the default: an HTTP port is opened only when asked for); 0: any free port
     * @param bearerToken  empty: no authentication; otherwise every request must carry
     *                     {@code Authorization: Bearer <token>}
     * @param maxBodyBytes larger request bodies are refused with 413 before (or while) they are read
     */
    public record StowOptions(int port, String bearerToken, long maxBodyBytes) {
        public static final StowOptions OFF = new StowOptions(-1, "", 1L << 30);

        public boolean enabled() {
            return port >= 0;
        }

        @Override
        public String toString() {
            return "StowOptions[port=" + port + ", bearerToken=" + (bearerToken.isEmpty() ? "none" : "<hidden>")
                    + ", maxBodyBytes=" + maxBodyBytes + "]";
        }
    }

    /**
     * Following an existing Orthanc's change log.
     *
     * @param url       Orthanc's REST base URL; empty: off
     * @param stateFile where the last processed change sequence number is kept across restarts
     */
    public record ChangeFeedOptions(String url, Duration pollInterval, Path stateFile, String username,
            String password) {
        public static final ChangeFeedOptions OFF = new ChangeFeedOptions("", Duration.ofSeconds(2), null, "", "");

        public boolean enabled() {
            return !url.isEmpty();
        }

        @Override
        public String toString() {
            return "ChangeFeedOptions[url=" + url + ", pollInterval=" + pollInterval + ", stateFile=" + stateFile
                    + ", username=" + username + ", password=" + (password.isEmpty() ? "none" : "<hidden>") + "]";
        }
    }

    public static final String AE_TITLE = "ingest.ae.title";
    public static final String PORT = "ingest.port";
    public static final String QUIET_PERIOD_MS = "ingest.quiet.period.ms";
    public static final String KAFKA_CLIENT_ID = "ingest.kafka.client.id";
    public static final String BLOB_DIR = "blobstore.root";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String PATIENT_KEY_SALT = "patient.key.salt";
    /**
     * Keys under this prefix go to the Kafka producer as they are (file only), e.g.
     * {@code ingest.kafka.security.protocol=SASL_SSL}: how a site's TLS and SASL settings reach the client.
     */
    public static final String KAFKA_CLIENT_PREFIX = "ingest.kafka.";
    /** Comma-separated calling AE titles; empty: accept any. */
    public static final String CSTORE_ALLOWED_AES = "ingest.cstore.allowed-aes";
    /** Per listed AE: {@code ingest.cstore.ae.<AE>.hosts} (comma-separated addresses), {@code .quiet-period-ms}. */
    public static final String CSTORE_AE_PREFIX = "ingest.cstore.ae.";
    public static final String STOW_PORT = "ingest.stow.port";
    public static final String STOW_BEARER_TOKEN = "ingest.stow.bearer-token";
    public static final String STOW_MAX_BODY_MB = "ingest.stow.max-body-mb";
    public static final String CHANGES_URL = "ingest.orthanc-changes.url";
    public static final String CHANGES_POLL_MS = "ingest.orthanc-changes.poll-ms";
    public static final String CHANGES_STATE_FILE = "ingest.orthanc-changes.state-file";
    public static final String CHANGES_USERNAME = "ingest.orthanc-changes.username";
    public static final String CHANGES_PASSWORD = "ingest.orthanc-changes.password";

    /** C-STORE only, any calling AE: the shape of the configuration before the other doors existed. */
    public IngestConfig(String aeTitle, int port, Path blobStoreDir, Duration quietPeriod,
            String kafkaBootstrapServers, String kafkaClientId, String patientKeySalt) {
        this(aeTitle, port, blobStoreDir, quietPeriod, kafkaBootstrapServers, kafkaClientId, patientKeySalt,
                CallingAePolicy.ANY, StowOptions.OFF, ChangeFeedOptions.OFF, Map.of());
    }

    public IngestConfig {
        callingAes = callingAes != null ? callingAes : CallingAePolicy.ANY;
        stow = stow != null ? stow : StowOptions.OFF;
        changeFeed = changeFeed != null ? changeFeed : ChangeFeedOptions.OFF;
        kafkaClientSettings = kafkaClientSettings != null ? Map.copyOf(kafkaClientSettings) : Map.of();
        require(aeTitle != null && !aeTitle.isBlank() && aeTitle.length() <= 16, AE_TITLE, "1 to 16 characters");
        require(port >= 0 && port <= 65535, PORT, "0..65535 (0 picks a free port)");
        require(blobStoreDir != null, BLOB_DIR, "a directory");
        require(quietPeriod != null && !quietPeriod.isNegative() && !quietPeriod.isZero(), QUIET_PERIOD_MS, "> 0");
        require(kafkaBootstrapServers != null && !kafkaBootstrapServers.isBlank(), KAFKA_BOOTSTRAP_SERVERS, "host:port");
        require(kafkaClientId != null && !kafkaClientId.isBlank(), KAFKA_CLIENT_ID, "a name");
        // Without a secret salt a patient key could be recomputed from a guessed patient id: no default on purpose.
        require(patientKeySalt != null && !patientKeySalt.isBlank(), PATIENT_KEY_SALT, "a site secret");
        require(stow.port() >= -1 && stow.port() <= 65535, STOW_PORT, "-1 (off), 0 (any free port) or a port");
        require(stow.maxBodyBytes() > 0, STOW_MAX_BODY_MB, "> 0");
        require(!changeFeed.enabled() || changeFeed.pollInterval().toMillis() > 0, CHANGES_POLL_MS, "> 0");
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
                s.get(PATIENT_KEY_SALT, ""),
                callingAes(s),
                new StowOptions(s.integer(STOW_PORT, -1), s.get(STOW_BEARER_TOKEN, ""),
                        s.integer(STOW_MAX_BODY_MB, 1024) * 1024L * 1024L),
                changeFeed(s),
                s.withPrefix(KAFKA_CLIENT_PREFIX));
    }

    private static CallingAePolicy callingAes(Settings s) {
        Set<String> allowed = list(s.get(CSTORE_ALLOWED_AES, ""));
        Map<String, CallingAePolicy.AeOptions> options = new TreeMap<>();
        for (String ae : allowed) {
            // Keys are only known for listed AEs, which is what lets the environment override them too.
            Set<String> hosts = list(s.get(CSTORE_AE_PREFIX + ae + ".hosts", ""));
            int quiet = s.integer(CSTORE_AE_PREFIX + ae + ".quiet-period-ms", 0);
            if (!hosts.isEmpty() || quiet > 0) {
                options.put(ae, new CallingAePolicy.AeOptions(hosts, quiet > 0 ? Duration.ofMillis(quiet) : null));
            }
        }
        return new CallingAePolicy(allowed, options);
    }

    private static ChangeFeedOptions changeFeed(Settings s) {
        String url = s.get(CHANGES_URL, "");
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        String stateFile = s.get(CHANGES_STATE_FILE, "");
        return new ChangeFeedOptions(url, Duration.ofMillis(s.integer(CHANGES_POLL_MS, 2_000)),
                stateFile.isEmpty() ? s.path(BLOB_DIR, "neurostream-blobs").resolve("state/orthanc-changes.properties")
                        : Path.of(stateFile),
                s.get(CHANGES_USERNAME, ""), s.get(CHANGES_PASSWORD, ""));
    }

    private static Set<String> list(String commaSeparated) {
        Set<String> out = new LinkedHashSet<>();
        for (String item : commaSeparated.split(",")) {
            if (!item.isBlank()) {
                out.add(item.strip());
            }
        }
        return out;
    }

    public IngestConfig withPort(int newPort) {
        return new IngestConfig(aeTitle, newPort, blobStoreDir, quietPeriod, kafkaBootstrapServers, kafkaClientId,
                patientKeySalt, callingAes, stow, changeFeed, kafkaClientSettings);
    }

    public IngestConfig withKafkaBootstrapServers(String servers) {
        return new IngestConfig(aeTitle, port, blobStoreDir, quietPeriod, servers, kafkaClientId, patientKeySalt,
                callingAes, stow, changeFeed, kafkaClientSettings);
    }

    public IngestConfig withCallingAes(CallingAePolicy policy) {
        return new IngestConfig(aeTitle, port, blobStoreDir, quietPeriod, kafkaBootstrapServers, kafkaClientId,
                patientKeySalt, policy, stow, changeFeed, kafkaClientSettings);
    }

    public IngestConfig withStow(StowOptions options) {
        return new IngestConfig(aeTitle, port, blobStoreDir, quietPeriod, kafkaBootstrapServers, kafkaClientId,
                patientKeySalt, callingAes, options, changeFeed, kafkaClientSettings);
    }

    public IngestConfig withChangeFeed(ChangeFeedOptions options) {
        return new IngestConfig(aeTitle, port, blobStoreDir, quietPeriod, kafkaBootstrapServers, kafkaClientId,
                patientKeySalt, callingAes, stow, options, kafkaClientSettings);
    }

    public IngestConfig withKafkaClientSettings(Map<String, String> settings) {
        return new IngestConfig(aeTitle, port, blobStoreDir, quietPeriod, kafkaBootstrapServers, kafkaClientId,
                patientKeySalt, callingAes, stow, changeFeed, settings);
    }

    /** Never prints the salt, nor Kafka client values (they may hold a JAAS password). */
    @Override
    public String toString() {
        return "IngestConfig[aeTitle=" + aeTitle + ", port=" + port + ", blobStoreDir=" + blobStoreDir
                + ", quietPeriod=" + quietPeriod + ", kafkaBootstrapServers=" + kafkaBootstrapServers
                + ", kafkaClientId=" + kafkaClientId + ", patientKeySalt=<hidden>, callingAes=" + callingAes
                + ", stow=" + stow + ", changeFeed=" + changeFeed + ", kafkaClientSettings=" + kafkaClientSettings.keySet()
                + "]";
    }

    private static void require(boolean ok, String key, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("invalid or missing " + key + " (" + Settings.envName(key) + "): expected "
                    + expected);
        }
    }
}
