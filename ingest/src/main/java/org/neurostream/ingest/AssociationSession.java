package org.neurostream.ingest;

import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;
import com.pixelmed.network.UnencapsulatedExplicitStorePresentationContextSelectionPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One accepted connection: negotiates the association with PixelMed, then answers C-ECHO and C-STORE requests. */
final class AssociationSession implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AssociationSession.class);
    private static final int REQUEST_TIMEOUT_MILLIS = 30_000;
    /**
     * Spool files are removed off the response path: on a busy disk an unlink took longer than anything else per
     * instance (bench ingest's JFR profile) while the sender waited for our answer. A delete lost at shutdown leaves
     * a *.part file, which {@link Spool#removeLeftovers} clears at the next start.
     */
    private static final Executor SPOOL_CLEANER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spool-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final Socket socket;
    private final String aeTitle;
    private final Path spoolDir;
    private final InstanceIngestor ingestor;
    private final CallingAePolicy callingAes;

    AssociationSession(Socket socket, String aeTitle, Path spoolDir, InstanceIngestor ingestor,
            CallingAePolicy callingAes) {
        this.socket = socket;
        this.aeTitle = aeTitle;
        this.spoolDir = spoolDir;
        this.ingestor = ingestor;
        this.callingAes = callingAes;
    }

    @Override
    public void run() {
        String peer = socket.getRemoteSocketAddress().toString();
        try (socket) {
            // A peer that connects and says nothing must not hold a thread forever.
            socket.setSoTimeout(REQUEST_TIMEOUT_MILLIS);
            AssociationRequestGate.Request request = AssociationRequestGate.read(socket.getInputStream());
            String refusal = callingAes.refusal(request.callingAe(), socket.getInetAddress());
            if (refusal != null) {
                refuse(request, peer, refusal);
                return;
            }
            java.util.List<String> undecodable = AssociationRequestGate.contextsWithoutAcceptedTransferSyntax(request);
            if (!undecodable.isEmpty()) {
                // The sender learns it from the rejected presentation context; this says it on our side too.
                ingestor.metrics().requestRefused("c-store", "transfer-syntax");
                // A sender proposing everything it knows can list dozens of SOP classes: name a few.
                String named = String.join(", ", undecodable.subList(0, Math.min(3, undecodable.size())))
                        + (undecodable.size() > 3 ? " and " + (undecodable.size() - 3) + " more" : "");
                log.warn("association from AE '{}' ({}): {} presentation context(s) refused, no transfer syntax we "
                        + "decode (send uncompressed): {} [transfer-syntax]", request.callingAe(), peer,
                        undecodable.size(), named);
            }
            socket.setSoTimeout(0);
            Association association = AssociationFactory.createNewAssociation(
                    AssociationRequestGate.replaying(socket, request), aeTitle,
                    new UnencapsulatedExplicitStorePresentationContextSelectionPolicy());
            log.debug("association from {} ({})", association.getCallingAETitle(), peer);
            try {
                while (true) {
                    answerOneRequest(association);
                }
            } catch (AReleaseException released) {
                log.debug("association from {} released", association.getCallingAETitle());
            }
        } catch (Exception e) {
            // Peer abort, dropped connection, protocol error, or our own shutdown closing the socket.
            log.info("association with {} ended without release: {}", peer, e.toString());
        }
    }

    private void refuse(AssociationRequestGate.Request request, String peer, String reason) throws IOException {
        ingestor.metrics().requestRefused("c-store", "calling-ae");
        log.warn("refused association from AE '{}' ({}) to '{}': {}", request.callingAe(), peer, request.calledAe(),
                reason);
        AssociationRequestGate.reject(socket.getOutputStream());
        // Let the peer read the A-ASSOCIATE-RJ and close first (a reset could swallow it).
        socket.shutdownOutput();
        socket.setSoTimeout(1_000);
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) {
            // drain until the peer closes
        }
    }

    private void answerOneRequest(Association association) throws Exception {
        DimseMessageCollector request = new DimseMessageCollector(spoolDir);
        association.setReceivedDataHandler(request);
        try {
            association.waitForPDataPDUsUntilHandlerReportsDone();
        } catch (Exception e) {
            request.discard();
            throw e;
        }
        byte[] response = request.isEcho() ? echoResponse(request) : storeResponse(request, association);
        association.send(request.presentationContextId(), response, null);
    }

    private static byte[] echoResponse(DimseMessageCollector request) throws Exception {
        return new CEchoResponseCommandMessage(request.echoRequest().getAffectedSOPClassUID(),
                request.echoRequest().getMessageID(), DimseStatus.SUCCESS).getBytes();
    }

    private byte[] storeResponse(DimseMessageCollector request, Association association) throws Exception {
        CStoreRequestCommandMessage store = request.storeRequest();
        String callingAe = association.getCallingAETitle();
        int status;
        try {
            status = ingestor.ingest(request.spoolFile(), store.getAffectedSOPInstanceUID(), null, "c-store:" + callingAe,
                    callingAes.quietPeriodFor(callingAe)).status();
        } finally {
            Path spooled = request.spoolFile();
            SPOOL_CLEANER.execute(() -> Spool.deleteQuietly(spooled));
        }
        return new CStoreResponseCommandMessage(store.getAffectedSOPClassUID(), store.getAffectedSOPInstanceUID(),
                store.getMessageID(), status).getBytes();
    }

    void abort() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we can do
        }
    }
}
