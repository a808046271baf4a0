package org.neurostream.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neurostream.config.Settings;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.ingest.IngestService;
import org.neurostream.processor.ProcessorConfig;
import org.neurostream.processor.ProcessorService;
import org.neurostream.sink.SinkConfig;
import org.neurostream.sink.SinkService;
import picocli.CommandLine.Option;

/** One service per process, against an external Kafka cluster: what each Kubernetes deployment runs. */
abstract class ServiceCommand implements Callable<Integer> {
    @Option(names = "--config", description = "Properties file; NEUROSTREAM_* environment variables override it.")
    Path config;

    Settings settings() throws Exception {
        return Settings.load(config);
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
        IngestService service = new IngestService(IngestConfig.from(settings()));
        service.start();
        return runUntilStopped(service, new CompletableFuture<>()); // the receiver survives its own errors
    }
}

@picocli.CommandLine.Command(name = "processor", mixinStandardHelpOptions = true,
        description = "Kafka Streams application: history, pairing, preparation, inference.")
final class ProcessorCommand extends ServiceCommand {
    @Override
    public Integer call() throws Exception {
        ProcessorConfig config = ProcessorConfig.from(settings());
        ProcessorService service = ProcessorService.create(ProcessorConfig.from(settings()));
        service.start(Duration.ofMinutes(5));
        return runUntilStopped(service, service.stopped());
    }
}

@picocli.CommandLine.Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Delivers results: DICOM SR to the PACS and to a folder, with retries and dead letters.")
final class SinkCommand extends ServiceCommand {
    @Override
    public Integer call() throws Exception {
        SinkService service = SinkService.create(SinkConfig.from(settings()), outcome -> { });
        service.start();
        return runUntilStopped(service, service.terminated());
    }
}
