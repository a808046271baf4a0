package org.neurostream.ingest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DICOM C-ECHO / C-STORE SCP. Accepts connections itself instead of through PixelMed's
 * {@code StorageSOPClassSCPDispatcher}, for three reasons: TCP_NODELAY on every accepted socket (PixelMed never sets
 * it; each response would wait ~45 ms for Nagle), a failure status when an object is rejected, and a stop that
 * takes milliseconds instead of the dispatcher's ~5 s (see also {@link PixelMedReleaseWait}).
 */
public final class DicomReceiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DicomReceiver.class);
    /** How long close() lets running associations finish before cutting them off. */
    private static final long DRAIN_MILLIS = 2_000;
    /** Long enough for the peer to read our A-RELEASE-RP before we close (the ARTIM's purpose). */
    private static final Duration RELEASE_WAIT = Duration.ofMillis(200);
    /** Pause after a failed accept (doubling up to the max), so e.g. EMFILE does not become a busy loop. */
    private static final long MIN_ACCEPT_BACKOFF_MILLIS = 50;
    private static final long MAX_ACCEPT_BACKOFF_MILLIS = 1_000;

    private final String aeTitle;
    private final Path spoolDir;
    private final InstanceIngestor ingestor;
    private final ServerSocketFactory serverSockets;
    private final CallingAePolicy callingAes;
    private final Set<AssociationSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadCount = new AtomicInteger();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dicom-association-" + threadCount.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private ServerSocket serverSocket;
    private Thread acceptor;
    private volatile boolean closing;

    public DicomReceiver(String aeTitle, Path spoolDir, InstanceIngestor ingestor, CallingAePolicy callingAes) {
        this(aeTitle, spoolDir, ingestor, ServerSocketFactory.getDefault(), callingAes);
    }

    /** @param serverSockets where the listening socket comes from (tests inject failing accepts) */
    DicomReceiver(String aeTitle, Path spoolDir, InstanceIngestor ingestor, ServerSocketFactory serverSockets) {
        this(aeTitle, spoolDir, ingestor, serverSockets, CallingAePolicy.ANY);
    }

    DicomReceiver(String aeTitle, Path spoolDir, InstanceIngestor ingestor, ServerSocketFactory serverSockets,
            CallingAePolicy callingAes) {
        this.aeTitle = aeTitle;
        this.spoolDir = spoolDir;
        this.ingestor = ingestor;
        this.serverSockets = serverSockets;
        this.callingAes = callingAes;
    }

    /** Binds {@code port} (0: any free port) and starts accepting associations. */
    public synchronized void start(int port) throws IOException {
        Spool.removeLeftovers(spoolDir);
        PixelMedReleaseWait.set(RELEASE_WAIT);
        serverSocket = serverSockets.createServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(port));
        acceptor = new Thread(this::acceptLoop, "dicom-acceptor-" + aeTitle);
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("DICOM SCP {} listening on port {}", aeTitle, port());
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        long backoff = MIN_ACCEPT_BACKOFF_MILLIS;
        while (!closing) {
            Socket socket = null;
            AssociationSession session = null;
            try {
                socket = serverSocket.accept();
                socket.setTcpNoDelay(true);
                AssociationSession accepted = new AssociationSession(socket, aeTitle, spoolDir, ingestor, callingAes);
                session = accepted;
                sessions.add(accepted);
                workers.execute(() -> {
                    try {
                        accepted.run();
                    } finally {
                        sessions.remove(accepted);
                    }
                });
                backoff = MIN_ACCEPT_BACKOFF_MILLIS;
            } catch (IOException | RuntimeException e) {
                // Whatever was accepted but not handed to a worker is ours to close, or its socket leaks.
                if (session != null) {
                    sessions.remove(session);
                }
                closeQuietly(socket);
                if (closing) {
                    return; // close() closed the server socket: the expected way out
                }
                // E.g. too many open files, or a peer that reset before we could configure its socket: this
                // connection is lost, the receiver is not.
                log.warn("DICOM SCP {} could not accept a connection, retrying in {} ms: {}", aeTitle, backoff,
                        e.toString());
                sleepQuietly(backoff);
                backoff = Math.min(backoff * 2, MAX_ACCEPT_BACKOFF_MILLIS);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                log.debug("closing a failed connection: {}", e.toString());
            }
        }
    }

    /**
     * Nothing but close() stops the acceptor, and it does so through {@code closing}; an interrupt only cuts the
     * pause short (restoring the flag would make every later pause return at once: a busy loop).
     */
    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            log.debug("accept back-off interrupted");
        }
    }

    /** Stops accepting, gives running associations a moment to finish, then closes what is left. */
    @Override
    public synchronized void close() {
        if (serverSocket == null || closing) {
            return;
        }
        closing = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            log.debug("closing the server socket: {}", e.toString());
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                log.warn("aborting {} association(s) still open at shutdown", sessions.size());
                sessions.forEach(AssociationSession::abort);
                workers.shutdownNow();
                workers.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
            }
            acceptor.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("DICOM SCP {} stopped", aeTitle);
    }
}
