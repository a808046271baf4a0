package org.neurostream.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DICOMweb STOW-RS origin server (PS3.18 10.5): {@code POST /studies} and {@code POST /studies/{StudyInstanceUID}}
 * with a multipart/related body of application/dicom parts. Each part is streamed to a spool file and goes through
 * the same {@link InstanceIngestor} as a C-STORE, so one bad part fails alone. The answer is the standard Store
 * Instances Response Module as application/dicom+json: 200 all stored, 202 some failed, 409 none stored.
 *
 * <p>Refused whole, with a counted reason: wrong method or path, missing or wrong bearer token (401), a body over
 * the size limit (413; checked against Content-Length up front and counted while streaming), a body that is not
 * multipart/related (415) or malformed (400). Parts stored before a streaming limit or a malformed tail was hit
 * stay stored: they reached the series tracker, and a client retry re-sends them harmlessly.
 */
final class StowRsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StowRsServer.class);
    private static final String DOOR = "stow-rs";
    private static final Pattern PATH = Pattern.compile("^(?:/dicom-web)?/studies(?:/([0-9.]{1,64}))?/?$");
    private static final String DICOM_JSON = "application/dicom+json";
    /** DICOM Failure Reasons (PS3.4 GG.4.2 / PS3.18 Table I.2-1). */
    private static final int CANNOT_UNDERSTAND = 0xC000;
    private static final int THREADS = 4;

    private final IngestConfig.StowOptions options;
    private final Path spoolDir;
    private final InstanceIngestor ingestor;
    private final byte[] expectedAuthorization;
    private final AtomicInteger threads = new AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;

    StowRsServer(IngestConfig.StowOptions options, Path spoolDir, InstanceIngestor ingestor) {
        this.options = options;
        this.spoolDir = spoolDir;
        this.ingestor = ingestor;
        this.expectedAuthorization = options.bearerToken().isEmpty() ? null
                : ("Bearer " + options.bearerToken()).getBytes(StandardCharsets.UTF_8);
    }

    StowRsServer start() throws IOException {
        Spool.removeLeftovers(spoolDir);
        server = HttpServer.create(new InetSocketAddress(options.port()), 50);
        executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "stow-rs-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        log.info("DICOMweb STOW-RS listening on port {} (POST /studies{}), max body {} MB", port(),
                expectedAuthorization == null ? ", no authentication" : ", bearer token required",
                options.maxBodyBytes() >> 20);
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(1); // lets a running request finish for up to a second
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.info("DICOMweb STOW-RS stopped");
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String client = exchange.getRemoteAddress().getAddress().getHostAddress();
        try (exchange) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches()) {
                refuse(exchange, client, 404, "not-found", "no such resource; STOW-RS is POST /studies");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                refuse(exchange, client, 405, "method-not-allowed", "only POST is supported");
                return;
            }
            if (!authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"neurostream\"");
                refuse(exchange, client, 401, "unauthorized", "missing or wrong bearer token");
                return;
            }
            String contentLength = exchange.getRequestHeaders().getFirst("Content-Length");
            if (contentLength != null && parseLong(contentLength) > options.maxBodyBytes()) {
                discardRest(exchange.getRequestBody(), DISCARD_FACTOR * options.maxBodyBytes());
                refuse(exchange, client, 413, "too-large", "body of " + contentLength + " bytes exceeds the limit of "
                        + options.maxBodyBytes());
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            String boundary = contentType == null ? null : MultipartRelatedReader.boundary(contentType);
            if (contentType == null || !mediaType(contentType).equals("multipart/related") || boundary == null) {
                refuse(exchange, client, 415, "unsupported-media-type",
                        "expected multipart/related with a boundary and application/dicom parts, got "
                                + (contentType == null ? "no Content-Type" : abbreviate(contentType)));
                return;
            }
            store(exchange, client, path.group(1), boundary);
        } catch (RuntimeException e) {
            log.error("STOW-RS request from {} failed: {}", client, e.toString(), e);
        }
    }

    private void store(HttpExchange exchange, String client, String studyUid, String boundary) throws IOException {
        long started = System.nanoTime();
        LimitedInputStream body = new LimitedInputStream(exchange.getRequestBody(), options.maxBodyBytes());
        MultipartRelatedReader reader = new MultipartRelatedReader(body, boundary);
        List<IngestOutcome> outcomes = new ArrayList<>();
        String source = DOOR + ":" + client;
        try {
            for (Map<String, String> headers = reader.nextPart(); headers != null; headers = reader.nextPart()) {
                outcomes.add(storePart(reader, headers, studyUid, source));
            }
        } catch (BodyTooLargeException e) {
            discardRest(exchange.getRequestBody(), DISCARD_FACTOR * options.maxBodyBytes());
            refuse(exchange, client, 413, "too-large", e.getMessage() + "; " + stored(outcomes)
                    + " instance(s) before the limit were stored");
            return;
        } catch (MultipartRelatedReader.MalformedMultipartException e) {
            refuse(exchange, client, 400, "malformed", "malformed multipart body: " + e.getMessage() + "; "
                    + stored(outcomes) + " instance(s) before the error were stored");
            return;
        }
        if (outcomes.isEmpty()) {
            refuse(exchange, client, 400, "no-parts", "the body holds no parts");
            return;
        }
        long ok = stored(outcomes);
        int status = ok == outcomes.size() ? 200 : ok > 0 ? 202 : 409;
        log.info("STOW-RS from {}: {} part(s), {} stored, {} failed, {} bytes in {} ms -> {}", client,
                outcomes.size(), ok, outcomes.size() - ok, body.count(), (System.nanoTime() - started) / 1_000_000,
                status);
        respond(exchange, status, DICOM_JSON, storeResponse(outcomes));
    }

    private IngestOutcome storePart(MultipartRelatedReader reader, Map<String, String> headers, String studyUid,
            String source) throws IOException {
        String type = headers.getOrDefault("content-type", "");
        if (!mediaType(type).equals("application/dicom")) {
            reader.copyPart(OutputStream.nullOutputStream());
            ingestor.metrics().instanceRejected("unsupported-media-type");
            String shown = mediaType(type).isEmpty() ? "none" : mediaType(type);
            log.warn("rejected STOW-RS part from {}: media type {} is not application/dicom", source, shown);
            return IngestOutcome.failed(CANNOT_UNDERSTAND, "unsupported-media-type",
                    "part media type " + shown + " is not application/dicom", null, null);
        }
        Path spool = Spool.create(spoolDir, "stow-");
        try {
            try (OutputStream out = Files.newOutputStream(spool)) {
                reader.copyPart(out);
            }
            return ingestor.ingest(spool, null, studyUid, source, null);
        } finally {
            Spool.deleteQuietly(spool);
        }
    }

    /** The Store Instances Response Module (PS3.18 10.5.3) in the DICOM JSON model. */
    static String storeResponse(List<IngestOutcome> outcomes) {
        StringBuilder referenced = new StringBuilder();
        StringBuilder failed = new StringBuilder();
        for (IngestOutcome o : outcomes) {
            StringBuilder target = o.stored() ? referenced : failed;
            target.append(target.length() == 0 ? "" : ",").append('{');
            List<String> fields = new ArrayList<>();
            if (o.sopClassUid() != null) {
                fields.add(uid("00081150", o.sopClassUid()));
            }
            if (o.sopInstanceUid() != null) {
                fields.add(uid("00081155", o.sopInstanceUid()));
            }
            if (!o.stored()) {
                fields.add("\"00081197\":{\"vr\":\"US\",\"Value\":[" + o.status() + "]}");
            }
            target.append(String.join(",", fields)).append('}');
        }
        StringBuilder json = new StringBuilder("{");
        json.append("\"00081199\":{\"vr\":\"SQ\"").append(referenced.length() == 0 ? "" : ",\"Value\":[" + referenced + "]")
                .append('}');
        if (failed.length() > 0) {
            json.append(",\"00081198\":{\"vr\":\"SQ\",\"Value\":[").append(failed).append("]}");
        }
        return json.append('}').toString();
    }

    /** A UID is digits and dots; anything else a hostile file put there is dropped, so no escaping is needed. */
    private static String uid(String tag, String value) {
        return "\"" + tag + "\":{\"vr\":\"UI\",\"Value\":[\"" + value.replaceAll("[^0-9.]", "") + "\"]}";
    }

    private boolean authorized(HttpExchange exchange) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        // Constant time: the comparison must not reveal how much of a guessed token was right.
        return given != null && MessageDigest.isEqual(expectedAuthorization, given.strip().getBytes(StandardCharsets.UTF_8));
    }

    private void refuse(HttpExchange exchange, String client, int status, String reason, String message)
            throws IOException {
        ingestor.metrics().requestRefused(DOOR, reason);
        log.warn("refused STOW-RS request from {} {} {}: {} -> {}", client, exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(), message, status);
        respond(exchange, status, "application/json", "{\"error\":\"" + message.replace("\"", "'") + "\"}");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String abbreviate(String header) {
        return header.length() > 120 ? header.substring(0, 120) + "…" : header;
    }

    private static long stored(List<IngestOutcome> outcomes) {
        return outcomes.stream().filter(IngestOutcome::stored).count();
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** How much of an oversized body, in multiples of the limit, is read and dropped so the client sees the 413. */
    private static final long DISCARD_FACTOR = 2;

    /**
     * Reads and drops what the client is still sending, up to {@code max} bytes. Answering while the client is
     * mid-upload makes the server close a socket with unread data, and the resulting TCP reset can destroy the
     * 413 before the client reads it; the bound keeps an endless upload from holding the thread.
     */
    private static void discardRest(InputStream body, long max) {
        byte[] buffer = new byte[64 * 1024];
        long left = max;
        try {
            for (int n; left > 0 && (n = body.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException e) {
            log.debug("discarding the rest of an oversized STOW-RS body stopped: {}", e.toString());
        }
    }

    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(String message) {
            super(message);
        }
    }

    /** Counts what is read and stops at the limit (a chunked body announces no length up front). */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long limit;
        private long count;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException("body exceeds the limit of " + limit + " bytes");
            }
        }

        long count() {
            return count;
        }
    }
}
