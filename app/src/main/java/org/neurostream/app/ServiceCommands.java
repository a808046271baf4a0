package org.neurostream.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.neurostream.config.Settings;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.ingest.IngestService;
import org.neurostream.observability.Observability;
import org.neurostream.observability.OpsServer;
import org.neurostream.processor.ProcessorConfig;
import org.neurostream.processor.ProcessorService;
import org.neurostream.sink.SinkConfig;
import org.neurostream.sink.SinkService;
import org.neurostream.status.StatusService;
import picocli.CommandLine.Option;

/** One service per process, against an external Kafka cluster: what each Kubernetes deployment runs. */
abstract class ServiceCommand implements Callable<Integer> {
    @Option(names = "--config", description = "Properties file; NEUROSTREAM_* environment variables override it.")
    Path config;

    Settings settings() throws Exception {
        return Settings.load(config);
    }

    /** The service's /metrics, /healthz and /readyz on {@code ops.port} (default 8080). */
    static OpsServer startOps(String service, Settings settings, BooleanSupplier ready) throws Exception {
        return OpsServer.start(service, settings.integer(OpsServer.PORT_KEY, OpsServer.DEFAULT_PORT), ready);
    }

    /**
     * The status page at {@code /status} on the sink's ops port, unless {@code status.enabled=false}; its Kafka
     * client takes {@code status.kafka.*} (security settings) from the file.
     */
    static StatusService startStatusPage(Settings settings, OpsServer ops) {
        if (!settings.bool("status.enabled", true)) {
            return null;
        }
        StatusService status = new StatusService(settings.required("kafka.bootstrap.servers"),
                settings.withPrefix("status.kafka."), settings.integer("status.capacity", 200)).start();
        ops.page(StatusService.PATH, status.handler());
        return status;
    }

    /** Closes the parts in order, each even when an earlier one failed. */
    static AutoCloseable inOrder(AutoCloseable... parts) {
        return () -> {
            for (AutoCloseable part : parts) {
                if (part != null) {
                    try {
                        part.close();
                    } catch (Exception e) {
                        System.err.println("shutdown: " + e.getMessage());
                    }
                }
            }
        };
    }

    /**
     * Runs until SIGTERM/Ctrl-C (exit 0) or until the service stops by itself, which is a failure (exit 1, so that
     * Kubernetes restarts the pod instead of keeping a process that does nothing).
     */
    static int runUntilStopped(AutoCloseable service, CompletableFuture<?> stoppedByItself) throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    service.close();
                } catch (Exception e) {
                    System.err.println("shutdown: " + e.getMessage());
                }
            }
        };
        CompletableFuture<Void> signalled = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signalled.complete(null);
            close.run();
        }, "neurostream-shutdown"));
        CompletableFuture<Object> selfStop = stoppedByItself.handle((value, failure) -> failure == null ? value : failure);
        CompletableFuture.anyOf(signalled, selfStop).join();
        if (signalled.isDone()) {
            return 0;
        }
        System.err.println("the service stopped by itself: " + selfStop.join());
        close.run();
        return 1;
    }
}

@picocli.CommandLine.Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "DICOM receiver (C-ECHO/C-STORE) publishing SeriesReceived events.")
final class IngestCommand extends ServiceCommand {
    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        AtomicBoolean started = new AtomicBoolean();
        OpsServer ops = startOps("ingest", settings, started::get);
        IngestService service = new IngestService(IngestConfig.from(settings), Observability.registry(),
                Clock.systemUTC(), null);
        service.start();
        started.set(true);
        // the receiver survives its own errors
        return runUntilStopped(inOrder(service, ops), new CompletableFuture<>());
    }
}

@picocli.CommandLine.Command(name = "processor", mixinStandardHelpOptions = true,
        description = "Kafka Streams application: history, pairing, preparation, inference.")
final class ProcessorCommand extends ServiceCommand {
    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        ProcessorService service = ProcessorService.create(ProcessorConfig.from(settings));
        OpsServer ops = startOps("processor", settings, () -> service.state() == KafkaStreams.State.RUNNING);
        service.start(Duration.ofMinutes(5));
        return runUntilStopped(inOrder(service, ops), service.stopped());
    }
}

@picocli.CommandLine.Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Delivers results: DICOM SR to the PACS and to a folder, with retries and dead letters.")
final class SinkCommand extends ServiceCommand {
    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        SinkService service = SinkService.create(SinkConfig.from(settings), outcome -> { });
        OpsServer ops = startOps("sink", settings, () -> !service.terminated().isDone());
        StatusService status = startStatusPage(settings, ops);
        service.start();
        return runUntilStopped(inOrder(service, status, ops), service.terminated());
    }
}
