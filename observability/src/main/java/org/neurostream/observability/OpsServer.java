package org.neurostream.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's operations endpoint: {@code /metrics} (Prometheus text format), {@code /healthz} (the process
 * answers) and {@code /readyz} (the service says it is ready, e.g. Kafka Streams RUNNING), plus any page a service
 * adds ({@link #page}). Wiring a service:
 *
 * <pre>{@code
 * OpsServer ops = OpsServer.start("processor", settings.integer(OpsServer.PORT_KEY, OpsServer.DEFAULT_PORT),
 *         () -> service.state() == KafkaStreams.State.RUNNING);
 * }</pre>
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    /** Settings key of the port; 0 picks a free one. */
    public static final String PORT_KEY = "ops.port";
    public static final int DEFAULT_PORT = 8080;
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final String service;
    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(String service, HttpServer server, ExecutorService executor) {
        this.service = service;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on every interface.
     *
     * @param service a name for logs and thread names (ingest, processor, sink)
     * @param ready   asked on every {@code /readyz}; must be cheap and must not throw
     */
    public static OpsServer start(String service, int port, BooleanSupplier ready) throws IOException {
        var prometheus = Observability.prometheus();
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ops-" + service);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> {
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
                return;
            }
            send(exchange, 200, PROMETHEUS_TEXT, prometheus.scrape());
        });
        server.createContext("/healthz", exchange -> send(exchange, 200, "text/plain; charset=utf-8", "ok\n"));
        server.createContext("/readyz", exchange -> {
            boolean isReady;
            try {
                isReady = ready.getAsBoolean();
            } catch (RuntimeException e) {
                isReady = false;
            }
            send(exchange, isReady ? 200 : 503, "text/plain; charset=utf-8", isReady ? "ready\n" : "not ready\n");
        });
        server.start();
        OpsServer ops = new OpsServer(service, server, executor);
        LOG.info("{} operations endpoint: {} (/metrics, /healthz, /readyz)", service, ops.url());
        return ops;
    }

    /** Serves another page (e.g. the status page) on the same port. */
    public OpsServer page(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL on the loopback interface, for logs and tests. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    public String service() {
        return service;
    }

    /** Writes a whole response and closes the exchange. */
    public static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
