package org.neurostream.ingest;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.MessageServiceElementCommand;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Collects one DIMSE request (C-ECHO, or C-STORE with its data set) from the P-DATA PDUs of an association.
 * The C-STORE data set is streamed to a spool file behind a Part 10 meta header rather than collected here in
 * memory. It is not kept out of memory altogether: header validation and the blob store's hashing each read the
 * whole file into memory afterwards, so the largest object still has to fit in the heap.
 *
 * <p>PixelMed's own {@code StorageSOPClassSCP} always answers Success before its handler may object, so ingest
 * drives the association itself. {@code ReceivedDataHandler}'s constructor is package-private in PixelMed;
 * {@link CompositeResponseHandler} is its public subclass, and overriding {@code sendPDataIndication} replaces
 * all of its behaviour.
 */
final class DimseMessageCollector extends CompositeResponseHandler {
    private final Path spoolDir;
    private final ByteArrayOutputStream commandBytes = new ByteArrayOutputStream();
    private byte presentationContextId;
    private int commandField = -1;
    private CEchoRequestCommandMessage echoRequest;
    private CStoreRequestCommandMessage storeRequest;
    private Path spoolFile;
    private OutputStream spoolOut;

    DimseMessageCollector(Path spoolDir) {
        this.spoolDir = spoolDir;
    }

    @Override
    public void sendPDataIndication(PDataPDU pdata, Association association)
            throws DicomNetworkException, DicomException, IOException {
        for (Object item : pdata.getPDVList()) {
            PresentationDataValue pdv = (PresentationDataValue) item;
            presentationContextId = pdv.getPresentationContextID();
            if (pdv.isCommand()) {
                commandBytes.write(pdv.getValue());
                if (pdv.isLastFragment()) {
                    onCommand(association);
                }
            } else {
                onData(pdv);
            }
        }
    }

    private void onCommand(Association association) throws DicomNetworkException, DicomException, IOException {
        AttributeList command = new AttributeList();
        command.read(new DicomInputStream(new ByteArrayInputStream(commandBytes.toByteArray()),
                TransferSyntax.ImplicitVRLittleEndian, false));
        commandField = Attribute.getSingleIntegerValueOrDefault(command, TagFromName.CommandField, 0xffff);
        if (commandField == MessageServiceElementCommand.C_ECHO_RQ) {
            echoRequest = new CEchoRequestCommandMessage(command);
            setDone(true); // C-ECHO has no data set
        } else if (commandField == MessageServiceElementCommand.C_STORE_RQ) {
            storeRequest = new CStoreRequestCommandMessage(command);
            openSpoolFile(association);
        } else {
            throw new DicomNetworkException("unsupported DIMSE command 0x" + Integer.toHexString(commandField));
        }
    }

    private void openSpoolFile(Association association) throws DicomNetworkException, DicomException, IOException {
        String transferSyntax = association.getTransferSyntaxForPresentationContextID(presentationContextId);
        FileMetaInformation meta = new FileMetaInformation(storeRequest.getAffectedSOPClassUID(),
                storeRequest.getAffectedSOPInstanceUID(), transferSyntax, association.getCallingAETitle());
        spoolFile = Files.createTempFile(spoolDir, "cstore-", ".part");
        spoolOut = new BufferedOutputStream(Files.newOutputStream(spoolFile), 1 << 16);
        DicomOutputStream metaOut = new DicomOutputStream(spoolOut, TransferSyntax.ExplicitVRLittleEndian, null);
        meta.getAttributeList().write(metaOut);
        metaOut.flush();
    }

    private void onData(PresentationDataValue pdv) throws DicomNetworkException, IOException {
        if (spoolOut == null) {
            throw new DicomNetworkException("data set fragment without a C-STORE command");
        }
        spoolOut.write(pdv.getValue());
        if (pdv.isLastFragment()) {
            spoolOut.close();
            spoolOut = null;
            setDone(true);
        }
    }

    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList list) {
        // Only used for responses; this handler receives requests.
    }

    boolean isEcho() {
        return echoRequest != null;
    }

    CEchoRequestCommandMessage echoRequest() {
        return echoRequest;
    }

    CStoreRequestCommandMessage storeRequest() {
        return storeRequest;
    }

    byte presentationContextId() {
        return presentationContextId;
    }

    /** The complete Part 10 file of a C-STORE; the caller owns (and removes) it. */
    Path spoolFile() {
        return spoolFile;
    }

    /** Removes a half-written spool file (association aborted mid-transfer). */
    void discard() {
        try {
            if (spoolOut != null) {
                spoolOut.close();
            }
            if (spoolFile != null) {
                Files.deleteIfExists(spoolFile);
            }
        } catch (IOException ignored) {
            // best effort: a leftover .part file is removed at the next start
        }
    }
}
