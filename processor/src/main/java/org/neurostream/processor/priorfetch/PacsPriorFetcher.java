package org.neurostream.processor.priorfetch;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.File;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.pacs.MoveOutcome;
import org.neurostream.pacs.PacsException;
import org.neurostream.pacs.PacsQueryRetrieve;
import org.neurostream.pacs.StudyMatch;
import org.neurostream.processor.pairing.PatientPairing.FetchRequest;
import org.neurostream.processor.pairing.PriorSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a missing prior in the PACS by study-level C-FIND (patient id, modality MR) and has it sent to our ingest
 * SCP by C-MOVE. The patient id never travels through Kafka: it is read from the follow-up's own DICOM object in
 * the blob store, and it is never logged. One request at a time on a background thread, so a slow PACS delays
 * only other fetches, never the stream.
 */
public final class PacsPriorFetcher implements PriorFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(PacsPriorFetcher.class);

    private final PacsQueryRetrieve pacs;
    private final String moveDestination;
    private final BlobStore blobs;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "prior-fetch");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> ended = new ConcurrentHashMap<>();

    public PacsPriorFetcher(PacsQueryRetrieve pacs, String moveDestination, BlobStore blobs) {
        this.pacs = pacs;
        this.moveDestination = moveDestination;
        this.blobs = blobs;
    }

    @Override
    public void request(String patientKey, FetchRequest request) {
        String key = patientKey + '\u0000' + request.followUp().getSeriesInstanceUid();
        worker.execute(() -> fetch(request).ifPresent(why -> ended.put(key, why)));
    }

    @Override
    public Optional<String> takeEnded(String patientKey, String followUpSeriesUid) {
        return Optional.ofNullable(ended.remove(patientKey + '\u0000' + followUpSeriesUid));
    }

    /** Runs one fetch; returns why it ended with nothing on the way, or empty when a study is being sent to us. */
    Optional<String> fetch(FetchRequest request) {
        String series = request.followUp().getSeriesInstanceUid();
        try {
            Optional<LocalDate> followUpDate = PriorSelector.studyDate(request.followUp());
            if (followUpDate.isEmpty()) {
                return Optional.of("the follow-up has no study date to look for an earlier study with");
            }
            PatientIdentity identity = patientIdentity(request);
            if (identity.patientId().isEmpty()) {
                return Optional.of("the follow-up has no patient id to query the PACS with");
            }
            List<StudyMatch> matches = pacs.findStudies(identity.patientId(), identity.issuerOrNull(), "MR");
            Optional<StudyMatch> best = matches.stream()
                    .filter(m -> m.studyDate() != null && !request.knownStudyUids().contains(m.studyInstanceUid()))
                    .filter(m -> request.window().allows(ChronoUnit.DAYS.between(m.studyDate(), followUpDate.get())))
                    .max(Comparator.comparing(StudyMatch::studyDate).thenComparing(StudyMatch::studyInstanceUid));
            if (best.isEmpty()) {
                LOG.info("prior fetch for series {}: the PACS returned {} MR studies, none an eligible prior", series,
                        matches.size());
                return Optional.of("the PACS has no other MR study of this patient within the prior window of "
                        + request.window().describe() + " (" + matches.size() + " MR studies found)");
            }
            StudyMatch study = best.get();
            MoveOutcome moved = pacs.moveStudy(study.studyInstanceUid(), moveDestination);
            if (moved.completed() == 0) {
                return Optional.of("C-MOVE of study " + study.studyInstanceUid() + " to " + moveDestination
                        + " delivered nothing (status " + moved.statusHex() + ", " + moved.failed() + " failed)");
            }
            LOG.info("prior fetch for series {}: study {} of {} sent by the PACS ({} instances, {} failed) in {} ms; "
                    + "pairing continues when ingest has it", series, study.studyInstanceUid(), study.studyDate(),
                    moved.completed(), moved.failed(), moved.elapsed().toMillis());
            return Optional.empty();
        } catch (PacsException e) {
            LOG.warn("prior fetch for series {}: {}", series, e.getMessage());
            return Optional.of("query/retrieve failed: " + e.getMessage());
        } catch (Exception e) {
            LOG.warn("prior fetch for series {}: {}", series, e.toString());
            return Optional.of("prior fetch failed: " + e);
        }
    }

    /** Who to ask the PACS about. Deliberately no toString-friendly use: it must never reach a log line. */
    private record PatientIdentity(String patientId, String issuerOrNull) {
    }

    /** Patient ID and issuer from the follow-up's first instance; read up to the pixel data only. */
    private PatientIdentity patientIdentity(FetchRequest request) throws Exception {
        String blob = request.followUp().getInstances().get(0).getBlobRef();
        File file = blobs.localPath(blob).toFile();
        AttributeList header = new AttributeList();
        header.read(file.getPath(), TagFromName.PixelData);
        String id = com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(header, TagFromName.PatientID)
                .trim();
        String issuer = com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(header,
                TagFromName.IssuerOfPatientID).trim();
        return new PatientIdentity(id, issuer.isEmpty() ? null : issuer);
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
