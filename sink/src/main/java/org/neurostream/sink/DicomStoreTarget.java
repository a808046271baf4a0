package org.neurostream.sink;

import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.MultipleInstanceTransferStatusHandler;
import com.pixelmed.network.PresentationContextListFactory;
import com.pixelmed.network.StorageSOPClassSCU;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedList;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.neurostream.pacs.LocalOrthanc;

/**
 * C-STORE SCU (PixelMed) to a PACS: the SR, SEG and key image of a result over one association. The association is opened here rather than inside PixelMed's one-shot
 * constructor, because that one logs failures and returns normally; here a refused connection, a rejected
 * association or a failure status each becomes an exception that says which.
 * When the PACS is an Orthanc whose REST URL is known, the delivered location is the instance's REST URL.
 */
public final class DicomStoreTarget implements DeliveryTarget {
    private final String host;
    private final int port;
    private final String calledAe;
    private final String callingAe;
    private final String orthancRestUrl; // may be null
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public DicomStoreTarget(String host, int port, String calledAe, String callingAe, String orthancRestUrl) {
        this.host = host;
        this.port = port;
        this.calledAe = calledAe;
        this.callingAe = callingAe;
        this.orthancRestUrl = orthancRestUrl == null || orthancRestUrl.isBlank() ? null : orthancRestUrl;
    }

    @Override
    public String name() {
        return "pacs";
    }

    @Override
    public Delivered deliver(ResultPackage result) throws Exception {
        // PixelMed's SCU streams from files.
        Path dir = Files.createTempDirectory("neurostream-cstore-");
        List<String> ids = new ArrayList<>();
        try {
            SetOfDicomFiles files = new SetOfDicomFiles();
            for (DicomObject o : result.objects()) {
                Path file = dir.resolve(o.sopInstanceUid() + ".dcm");
                Files.write(file, o.bytes());
                files.add(file.toFile());
                ids.add(o.sopInstanceUid());
            }
            store(files, result.objects().size(), result.sr().sopInstanceUid());
        } finally {
            try (var list = Files.list(dir)) {
                for (Path p : list.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        return new Delivered(locate(result.sr().sopInstanceUid()), false, ids);
    }

    @SuppressWarnings("unchecked") // PixelMed returns a raw Set of SOP Class UID strings
    private void store(SetOfDicomFiles files, int count, String srSopInstanceUid) throws Exception {
        LinkedList<?> contexts = PresentationContextListFactory.createNewPresentationContextList(
                (Set<String>) files.getSetOfSOPClassUIDs(), 0);
        Association association;
        try {
            association = AssociationFactory.createNewAssociation(host, port, calledAe, callingAe,
                    contexts, null, false);
        } catch (IOException | com.pixelmed.network.DicomNetworkException e) {
            throw new IOException("cannot open an association to " + endpoint() + ": " + e.getMessage(), e);
        }
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        StorageSOPClassSCU scu;
        try {
            scu = new StorageSOPClassSCU(association, files, new MultipleInstanceTransferStatusHandler() {
                @Override
                public void updateStatus(int remaining, int nCompleted, int nFailed, int nWarning, String uid) {
                    completed.set(nCompleted + nWarning); // a warning status still stores
                    failed.set(nFailed);
                }
            });
        } finally {
            end(association); // also when the SCU threw: else each failed attempt leaks the socket
        }
        if (failed.get() > 0 || completed.get() < count || scu.encounteredTrappedExceptions()) {
            throw new IOException("C-STORE of " + (count - completed.get()) + " of " + count
                    + " objects of SR " + srSopInstanceUid + " to " + endpoint()
                    + " failed (the PACS did not answer with a success status)");
        }
    }

    /** Release, or abort if that fails; never throws, so the store's own outcome or exception is what counts. */
    private static void end(Association association) {
        try {
            association.release();
        } catch (Exception releaseFailed) {
            try {
                association.abort(); // closes the socket
            } catch (Exception ignored) {
                // nothing more can be done for this association
            }
        }
    }

    private String locate(String sopInstanceUid) {
        if (orthancRestUrl != null) {
            try {
                return LocalOrthanc.findInstanceId(orthancRestUrl, sopInstanceUid, http)
                        .map(id -> orthancRestUrl + "/instances/" + id)
                        .orElse(endpointUrl(sopInstanceUid));
            } catch (IOException e) {
                return endpointUrl(sopInstanceUid); // stored all the same: only the pretty URL is missing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return endpointUrl(sopInstanceUid);
            }
        }
        return endpointUrl(sopInstanceUid);
    }

    private String endpointUrl(String sopInstanceUid) {
        return "dicom://" + calledAe + "@" + host + ":" + port + "/" + sopInstanceUid;
    }

    private String endpoint() {
        return calledAe + "@" + host + ":" + port;
    }
}
