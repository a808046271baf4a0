package org.neurostream.ingest;

import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;
import com.pixelmed.network.UnencapsulatedExplicitStorePresentationContextSelectionPolicy;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One accepted connection: negotiates the association with PixelMed, then answers C-ECHO and C-STORE requests. */
final class AssociationSession implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(AssociationSession.class);

    private final Socket socket;
    private final String aeTitle;
    private final Path spoolDir;
    private final InstanceIngestor ingestor;

    AssociationSession(Socket socket, String aeTitle, Path spoolDir, InstanceIngestor ingestor) {
        this.socket = socket;
        this.aeTitle = aeTitle;
        this.spoolDir = spoolDir;
        this.ingestor = ingestor;
    }

    @Override
    public void run() {
        String peer = socket.getRemoteSocketAddress().toString();
        try (socket) {
            Association association = AssociationFactory.createNewAssociation(socket, aeTitle,
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
        int status = ingestor.ingest(request.spoolFile(), store.getAffectedSOPInstanceUID(),
                association.getCallingAETitle());
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
