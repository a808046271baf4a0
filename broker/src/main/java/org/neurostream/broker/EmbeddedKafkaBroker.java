package org.neurostream.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft: broker and controller in one process) running inside this JVM, for the
 * all-in-one demo and the tests. Production uses an external cluster; the services only ever see a bootstrap
 * address, so nothing else changes.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final Path logDir;
    private final boolean deleteOnClose;
    private final int fixedBrokerPort;
    private final int fixedControllerPort;
    private SaslSsl saslSsl;
    private String saslSslBootstrapServers;

    /**
     * A second listener as a secured production cluster has one: TLS with the broker's own key, SASL/PLAIN users.
     *
     * @param keyStore PKCS12 key store holding the broker's key and certificate
     * @param users    user name to password
     */
    public record SaslSsl(Path keyStore, String keyStorePassword, Map<String, String> users) {
    }

    /** Also listen for SASL_SSL clients (before {@link #start()}); the plain listener stays for the broker itself. */
    public synchronized EmbeddedKafkaBroker withSaslSsl(SaslSsl options) {
        this.saslSsl = options;
        return this;
    }
    private KafkaRaftServer server;
    private String bootstrapServers;

    /** A broker whose data lives in a fresh temporary directory, removed on close. */
    public EmbeddedKafkaBroker() throws IOException {
        this(Files.createTempDirectory("neurostream-kafka"), true);
    }

    /** Free ports, chosen again at every start. */
    public EmbeddedKafkaBroker(Path logDir, boolean deleteOnClose) {
        this(logDir, deleteOnClose, 0, 0);
    }

    /**
     * Fixed ports (0: a free one at each start). A broker that is to be restarted in place, in this JVM or in a
     * new process on the same {@code logDir}, needs fixed ports: clients keep the bootstrap address they were
     * given, and the controller's address is part of the quorum configuration.
     */
    public EmbeddedKafkaBroker(Path logDir, boolean deleteOnClose, int brokerPort, int controllerPort) {
        if (brokerPort < 0 || controllerPort < 0 || (brokerPort != 0 && brokerPort == controllerPort)) {
            throw new IllegalArgumentException("bad ports: broker " + brokerPort + ", controller " + controllerPort);
        }
        this.logDir = logDir.toAbsolutePath();
        this.deleteOnClose = deleteOnClose;
        this.fixedBrokerPort = brokerPort;
        this.fixedControllerPort = controllerPort;
    }

    public synchronized EmbeddedKafkaBroker start() throws Exception {
        if (server != null) {
            return this;
        }
        long started = System.nanoTime();
        int brokerPort = fixedBrokerPort != 0 ? fixedBrokerPort : freePort();
        int controllerPort = fixedControllerPort != 0 ? fixedControllerPort : freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        int saslSslPort = saslSsl == null ? 0 : freePort();
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (saslSsl != null) {
            props.put("listeners", props.get("listeners") + ",SASL_SSL://127.0.0.1:" + saslSslPort);
            props.put("advertised.listeners", props.get("advertised.listeners") + ",SASL_SSL://127.0.0.1:" + saslSslPort);
            props.put("listener.security.protocol.map", props.get("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
            props.put("sasl.enabled.mechanisms", "PLAIN");
            StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
            saslSsl.users().forEach((user, password) -> jaas.append(" user_").append(user).append("=\"")
                    .append(password).append('"'));
            props.put("listener.name.sasl_ssl.plain.sasl.jaas.config", jaas.append(';').toString());
            props.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
            props.put("listener.name.sasl_ssl.ssl.keystore.location", saslSsl.keyStore().toString());
            props.put("listener.name.sasl_ssl.ssl.keystore.password", saslSsl.keyStorePassword());
            props.put("listener.name.sasl_ssl.ssl.key.password", saslSsl.keyStorePassword());
        }
        props.put("log.dirs", logDir.toString());
        // Topics are created on purpose by the services; a typo must not silently create a new one.
        props.put("auto.create.topics.enable", "false");
        // One node: every internal topic can only have one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.flush.interval.messages", "1");
        KafkaConfig config = new KafkaConfig(props, false);

        format();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        bootstrapServers = "127.0.0.1:" + brokerPort;
        saslSslBootstrapServers = saslSsl == null ? null : "127.0.0.1:" + saslSslPort;
        awaitReady();
        LOG.info("embedded Kafka broker ready at {} in {} ms (data in {})", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), logDir);
        return this;
    }

    private void format() throws Exception {
        Files.createDirectories(logDir);
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return; // formatted by an earlier run that kept its data
        }
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(logDir.toString())
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .run();
    }

    private void awaitReady() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        try (Admin admin = admin()) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("embedded Kafka broker did not become ready", e);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    /** Creates the topics that do not exist yet, each with {@code partitions} partitions and one replica. */
    public void createTopics(List<String> names, int partitions) throws Exception {
        try (Admin admin = admin()) {
            for (String name : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** The SASL_SSL listener's address; only with {@link #withSaslSsl}. */
    public String saslSslBootstrapServers() {
        if (saslSslBootstrapServers == null) {
            throw new IllegalStateException("no SASL_SSL listener started");
        }
        return saslSslBootstrapServers;
    }

    public String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("broker not started");
        }
        return bootstrapServers;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
        if (deleteOnClose) {
            deleteRecursively(logDir);
        }
    }

    /** A port free right now (for callers that pick fixed ports before the first start). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", dir, e.getMessage());
        }
    }
}
