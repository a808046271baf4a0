package org.neurostream.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.neurostream.broker.EmbeddedKafkaBroker;
import org.neurostream.schemas.kafka.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The single-node KRaft broker in a process of its own, restartable in place: the same data folder and ports
 * bring back the same cluster with its topics, offsets and transactions. For tests and trials, not production.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "A single-node Kafka (KRaft) broker for trials and fault tests; keeps its data in --data.")
public final class BrokerCommand implements Callable<Integer> {
    /** Printed once the broker answers, for scripts and tests that wait for it. */
    static final String READY = "broker ready at ";

    @Option(names = "--data", required = true, description = "Log and metadata folder (formatted on first use, "
            + "kept afterwards).")
    Path data;
    @Option(names = "--port", description = "Client port on 127.0.0.1. Default: ${DEFAULT-VALUE}")
    int port = 9092;
    @Option(names = "--controller-port", description = "KRaft controller port; fixed, so that a restart finds its "
            + "quorum. Default: --port + 1")
    Integer controllerPort;
    @Option(names = "--partitions", description = "Creates NeuroStream's topics that do not exist yet with this "
            + "many partitions; 0: none. Default: ${DEFAULT-VALUE}")
    int partitions = 3;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(data, false, port,
                controllerPort != null ? controllerPort : port + 1);
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM/Ctrl-C: a clean shutdown flushes and closes the logs (SIGKILL leaves recovery to the next start).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "neurostream-broker-shutdown"));
        broker.start();
        if (partitions > 0) {
            broker.createTopics(Topics.all(), partitions);
        }
        System.out.println(READY + broker.bootstrapServers() + " (data in " + data.toAbsolutePath() + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
