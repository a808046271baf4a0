package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;

/** The accept loop survives a failed accept instead of going deaf (a failure is not a shutdown). */
class DicomReceiverAcceptTest {
    private static final String AE = "NS_TEST";

    @TempDir
    Path dir;

    private DicomReceiver receiver;

    @BeforeAll
    static void needsDcmtk() {
        assumeTrue(Dcmtk.available(), "DCMTK (echoscu) is not installed");
    }

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aFailedAcceptIsLoggedAndTheReceiverKeepsAccepting() throws Exception {
        FlakyServerSocket server = new FlakyServerSocket(1, 0);
        try (LogCapture logs = new LogCapture()) {
            start(server);

            Dcmtk.Result echo = Dcmtk.echoscu(receiver.port(), AE);

            assertThat(echo.exitCode()).as(echo.output()).isZero();
            assertThat(server.acceptCalls.get()).isGreaterThan(1);
            assertThat(logs.text()).contains("WARN").contains("could not accept a connection")
                    .contains("Too many open files");
        }
    }

    @Test
    void aSocketThatCannotBeSetUpIsClosedAndTheNextConnectionIsServed() throws Exception {
        start(new FlakyServerSocket(0, 1));

        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), receiver.port())) {
            client.setSoTimeout(30_000); // a guard only: a leaked socket would block here instead of reading EOF
            InputStream in = client.getInputStream();
            assertThat(in.read()).as("the receiver closed the connection it could not set up").isEqualTo(-1);
        }
        Dcmtk.Result echo = Dcmtk.echoscu(receiver.port(), AE);
        assertThat(echo.exitCode()).as(echo.output()).isZero();
    }

    private void start(ServerSocket server) throws IOException {
        MutableClock clock = new MutableClock();
        InstanceIngestor ingestor = new InstanceIngestor(new InstanceValidator(new PatientKeyDeriver("salt")),
                new FileBlobStore(dir.resolve("blobs")), new SeriesCompletionTracker(Duration.ofSeconds(1), clock),
                new IngestMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
        receiver = new DicomReceiver(AE, dir.resolve("spool"), ingestor, new ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() {
                return server;
            }

            @Override
            public ServerSocket createServerSocket(int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
                throw new UnsupportedOperationException();
            }
        });
        receiver.start(0);
    }

    /** Fails its first accepts as the OS would (EMFILE), then hands out sockets whose set-up fails (peer reset). */
    private static final class FlakyServerSocket extends ServerSocket {
        final AtomicInteger acceptCalls = new AtomicInteger();
        private final AtomicInteger failingAccepts;
        private final AtomicInteger brokenSockets;

        FlakyServerSocket(int failingAccepts, int brokenSockets) throws IOException {
            this.failingAccepts = new AtomicInteger(failingAccepts);
            this.brokenSockets = new AtomicInteger(brokenSockets);
        }

        @Override
        public Socket accept() throws IOException {
            acceptCalls.incrementAndGet();
            if (failingAccepts.getAndDecrement() > 0) {
                throw new SocketException("Too many open files");
            }
            if (brokenSockets.getAndDecrement() > 0) {
                Socket socket = new Socket() {
                    @Override
                    public void setTcpNoDelay(boolean on) throws SocketException {
                        throw new SocketException("Connection reset");
                    }
                };
                implAccept(socket);
                return socket;
            }
            return super.accept();
        }
    }
}
