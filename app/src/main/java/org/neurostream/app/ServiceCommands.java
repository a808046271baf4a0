package org.neurostream.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.config.Settings;
import org.neurostream.inference.ChangeClassifier;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.ingest.IngestService;
import org.neurostream.processor.ProcessorConfig;
import org.neurostream.processor.ProcessorService;
import org.neurostream.processor.analysis.ClassifierChangeModel;
import org.neurostream.processor.analysis.PairAnalyzer;
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

    static void runUntilShutdown(AutoCloseable service) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("shutdown: " + e.getMessage());
            }
            stopped.countDown();
        }, "neurostream-shutdown"));
        stopped.await();
    }
}

@picocli.CommandLine.Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "DICOM receiver (C-ECHO/C-STORE) publishing SeriesReceived events.")
final class IngestCommand extends ServiceCommand {
    @Override
    public Integer call() throws Exception {
        runUntilShutdown(new IngestService(IngestConfig.from(settings())).start());
        return 0;
    }
}

@picocli.CommandLine.Command(name = "processor", mixinStandardHelpOptions = true,
        description = "Kafka Streams application: history, pairing, preparation, inference.")
final class ProcessorCommand extends ServiceCommand {
    @Override
    public Integer call() throws Exception {
        ProcessorConfig config = ProcessorConfig.from(settings());
        ChangeClassifier classifier = ChangeClassifier.load(config.modelDir());
        ProcessorService service = new ProcessorService(config, new PairAnalyzer(
                new FileBlobStore(config.blobStoreRoot()), new ClassifierChangeModel(classifier)))
                .start(Duration.ofMinutes(5));
        runUntilShutdown(() -> {
            service.close();
            classifier.close();
        });
        return 0;
    }
}

@picocli.CommandLine.Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Delivers results: DICOM SR to the PACS and to a folder, with retries and dead letters.")
final class SinkCommand extends ServiceCommand {
    @Override
    public Integer call() throws Exception {
        runUntilShutdown(SinkService.create(SinkConfig.from(settings()), outcome -> { }).start());
        return 0;
    }
}
