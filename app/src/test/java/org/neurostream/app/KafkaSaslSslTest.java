package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.broker.EmbeddedKafkaBroker;
import org.neurostream.config.Settings;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.ingest.IngestService;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;
import org.neurostream.processor.ProcessorConfig;
import org.neurostream.processor.ProcessorService;
import org.neurostream.schemas.kafka.Topics;
import org.neurostream.sink.SinkConfig;
import org.neurostream.sink.SinkService;

/**
 * Kafka SASL_SSL by configuration alone: a broker that only lets clients in over TLS with a SASL/PLAIN user, and
 * ingest, processor and sink given nothing but that listener's address and the client keys a site would write
 * (the same keys the Helm chart renders). A pair sent with storescu still ends as an SR; a wrong password is
 * refused.
 */
class KafkaSaslSslTest {
    private static final String PASSWORD = "store-pass-123";

    @TempDir
    Path dir;

    @Test
    void everyServiceWorksThroughASaslSslListener() throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Path caPem = dir.resolve("ca.pem");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Tools.Result made = Tools.run(List.of(keytool.toString(), "-genkeypair", "-alias", "broker", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD),
                null, 60);
        assertThat(made.exitCode()).as(made.output()).isZero();
        Tools.Result exported = Tools.run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "broker",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file", caPem.toString()), null, 60);
        assertThat(exported.exitCode()).as(exported.output()).isZero();

        List<Series> cohort = new PhantomCohort(77).write(dir.resolve("cohort"), 1, 0);
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), false)
                .withSaslSsl(new EmbeddedKafkaBroker.SaslSsl(keyStore, PASSWORD,
                        Map.of("neurostream", "client-secret")))
                .start()) {
            broker.createTopics(Topics.all(), 2);
            Properties file = new Properties();
            file.setProperty("kafka.bootstrap.servers", broker.saslSslBootstrapServers());
            file.setProperty("blobstore.root", dir.resolve("blobs").toString());
            file.setProperty("patient.key.salt", "sasl-test");
            file.setProperty("ingest.port", "0");
            file.setProperty("ingest.quiet.period.ms", "1500");
            file.setProperty("processor.model-dir", Repo.modelDir().toString());
            file.setProperty("processor.state-dir", dir.resolve("state").toString());
            file.setProperty("sink.pacs.enabled", "false");
            file.setProperty("sink.folder.dir", dir.resolve("sr").toString());
            for (String prefix : List.of("ingest.kafka.", "processor.streams.", "sink.kafka.")) {
                clientSecurity(prefix, "client-secret", caPem).forEach(file::setProperty);
            }
            Settings settings = new Settings(file, Map.of());

            try (IngestService ingest = new IngestService(IngestConfig.from(settings), new SimpleMeterRegistry(),
                    Clock.systemUTC(), null);
                    ProcessorService processor = ProcessorService.create(ProcessorConfig.from(settings));
                    SinkService sink = SinkService.create(SinkConfig.from(settings), outcome -> { })) {
                ingest.start();
                processor.start(Duration.ofSeconds(60));
                sink.start();
                StoreScu.send("127.0.0.1", ingest.port(), IngestConfig.from(settings).aeTitle(), "SCANNER",
                        cohort.stream().filter(s -> s.visit() == Visit.BASELINE).map(Series::folder).toList());
                StoreScu.send("127.0.0.1", ingest.port(), IngestConfig.from(settings).aeTitle(), "SCANNER",
                        cohort.stream().filter(s -> s.visit() == Visit.FOLLOW_UP).map(Series::folder).toList());
                assertThat(awaitSrFile(dir.resolve("sr"), Duration.ofMinutes(3)))
                        .as("an SR made through the SASL_SSL listener only").isTrue();
            }

            Properties wrong = new Properties();
            wrong.put("bootstrap.servers", broker.saslSslBootstrapServers());
            clientSecurity("", "not-the-password", caPem).forEach(wrong::put);
            try (Admin admin = Admin.create(wrong)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
    }

    /** What a site writes (and the chart renders) under each service's client prefix. */
    private static Map<String, String> clientSecurity(String prefix, String password, Path caPem) {
        return Map.of(
                prefix + "security.protocol", "SASL_SSL",
                prefix + "sasl.mechanism", "PLAIN",
                prefix + "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"neurostream\" password=\"" + password + "\";",
                prefix + "ssl.truststore.type", "PEM",
                prefix + "ssl.truststore.location", caPem.toString());
    }

    private static boolean awaitSrFile(Path folder, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    if (files.anyMatch(f -> f.toString().endsWith(".dcm"))) {
                        return true;
                    }
                }
            }
            Thread.sleep(500);
        }
        return false;
    }
}
