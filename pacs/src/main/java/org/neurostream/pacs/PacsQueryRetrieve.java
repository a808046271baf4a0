package org.neurostream.pacs;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CFindRequestCommandMessage;
import com.pixelmed.network.CMoveRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PresentationContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Study-root query/retrieve against one PACS, as an SCU (PixelMed): C-FIND at STUDY level to list a patient's
 * studies, C-MOVE at STUDY level to have one study sent to a C-STORE SCP (ours or another).
 *
 * <p>Every call is bounded in time. PixelMed sets no socket timeouts and connects without one, so the DIMSE
 * exchange runs on a worker thread while the caller waits with three limits: association established within
 * {@code connectTimeout}, no gap between two responses longer than {@code responseTimeout}, and the whole call
 * within the find/move timeout. When a limit is hit the caller gets {@link PacsException} with reason TIMEOUT at
 * once, and the association is aborted in the background (PixelMed's abort waits 5 s before it closes the socket,
 * which then frees the worker). A worker stuck before the association exists (TCP connect, or a peer that never
 * answers the association request) cannot be reached and ends only when the connection does; the caller does
 * not wait for it.
 *
 * <p>Logs carry counts, study UIDs and AE titles only, never patient identifiers. Thread-safe: each call opens
 * and releases its own association.
 */
public final class PacsQueryRetrieve {
    private static final Logger LOG = LoggerFactory.getLogger(PacsQueryRetrieve.class);
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int STATUS_PENDING = 0xFF00;
    private static final int STATUS_PENDING_WARNING = 0xFF01;
    private static final int STATUS_MISSING = 0xFFFF;
    // A UID is digits and dots; anything else (empty, '*', '?') would make the PACS match many studies.
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final AtomicInteger WORKER_IDS = new AtomicInteger();
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "pacs-dimse-" + WORKER_IDS.incrementAndGet());
        t.setDaemon(true); // a worker stuck in connect() must not keep the JVM alive
        return t;
    });

    private final String callingAe;
    private final String host;
    private final int port;
    private final String calledAe;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Duration findTimeout;
    private final Duration moveTimeout;

    private PacsQueryRetrieve(Builder b) {
        this.callingAe = checkAe(b.callingAe, "calling AE");
        this.host = Objects.requireNonNull(b.host, "host");
        this.port = b.port;
        this.calledAe = checkAe(b.calledAe, "called AE");
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        this.responseTimeout = positive(b.responseTimeout, "responseTimeout");
        this.findTimeout = positive(b.findTimeout, "findTimeout");
        this.moveTimeout = positive(b.moveTimeout, "moveTimeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
    }

    /**
     * @param callingAe our AE title (the PACS must know it: Orthanc, for one, only answers C-FIND/C-MOVE from AEs
     *                  declared in its DicomModalities)
     */
    public static Builder builder(String callingAe, String host, int port, String calledAe) {
        return new Builder(callingAe, host, port, calledAe);
    }

    public static final class Builder {
        private final String callingAe;
        private final String host;
        private final int port;
        private final String calledAe;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration responseTimeout = Duration.ofSeconds(60);
        private Duration findTimeout = Duration.ofSeconds(60);
        private Duration moveTimeout = Duration.ofMinutes(30);

        private Builder(String callingAe, String host, int port, String calledAe) {
            this.callingAe = callingAe;
            this.host = host;
            this.port = port;
            this.calledAe = calledAe;
        }

        /** TCP connect plus association negotiation (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Longest silence between two responses of one request (default 60 s). */
        public Builder responseTimeout(Duration timeout) {
            this.responseTimeout = timeout;
            return this;
        }

        /** A whole C-FIND, association included (default 60 s). */
        public Builder findTimeout(Duration timeout) {
            this.findTimeout = timeout;
            return this;
        }

        /** A whole C-MOVE, association included (default 30 min: a large study moves for minutes). */
        public Builder moveTimeout(Duration timeout) {
            this.moveTimeout = timeout;
            return this;
        }

        public PacsQueryRetrieve build() {
            return new PacsQueryRetrieve(this);
        }
    }

    /**
     * The studies of one patient, optionally only those with a given modality.
     *
     * @param patientId     exact PatientID; wildcards ('*', '?') and '\' are rejected, since they would match other
     *                      patients
     * @param issuerOrNull  IssuerOfPatientID to match, or null to match any issuer
     * @param modalityOrNull e.g. "MR"; matched by the PACS through ModalitiesInStudy and checked again here, since
     *                      not every PACS supports that key; null for any
     * @return the matches in the order the PACS sent them (empty when the patient has no study)
     */
    public List<StudyMatch> findStudies(String patientId, String issuerOrNull, String modalityOrNull)
            throws PacsException {
        checkValue(patientId, "patient id");
        if (issuerOrNull != null) {
            checkValue(issuerOrNull, "issuer of patient id");
        }
        if (modalityOrNull != null) {
            checkValue(modalityOrNull, "modality");
        }
        long started = System.nanoTime();
        AttributeList query = new AttributeList();
        try {
            put(query, TagFromName.QueryRetrieveLevel, "STUDY");
            put(query, TagFromName.PatientID, patientId);
            if (issuerOrNull != null) {
                put(query, TagFromName.IssuerOfPatientID, issuerOrNull);
            }
            put(query, TagFromName.StudyInstanceUID, null);
            put(query, TagFromName.StudyDate, null);
            put(query, TagFromName.ModalitiesInStudy, modalityOrNull);
            put(query, TagFromName.StudyDescription, null);
            put(query, TagFromName.NumberOfStudyRelatedInstances, null);
        } catch (DicomException e) {
            throw new IllegalStateException("cannot build a C-FIND identifier", e);
        }
        byte[] command;
        try {
            command = new CFindRequestCommandMessage(SOPClass.StudyRootQueryRetrieveInformationModelFind).getBytes();
        } catch (DicomException | IOException e) {
            throw new IllegalStateException("cannot build a C-FIND request", e);
        }
        Responses responses = exchange(SOPClass.StudyRootQueryRetrieveInformationModelFind, findTimeout, "C-FIND",
                command, query);
        if (responses.getStatus() != 0x0000) {
            throw new PacsException(PacsException.Reason.REFUSED, responses.getStatus(), "C-FIND at " + calledAe
                    + " ended with status " + hex(responses.getStatus()) + errorComment(responses.finalCommand),
                    null);
        }
        List<StudyMatch> matches = new ArrayList<>();
        int dropped = 0;
        for (AttributeList identifier : responses.identifiers) {
            StudyMatch match = toMatch(identifier, patientId, issuerOrNull, modalityOrNull);
            if (match == null) {
                dropped++;
            } else {
                matches.add(match);
            }
        }
        if (dropped > 0) {
            // A PACS that ignores a key (or matches it loosely) must not hand us another patient's study.
            LOG.warn("C-FIND at {}: dropped {} of {} answers that did not match the query keys", calledAe, dropped,
                    responses.identifiers.size());
        }
        LOG.info("C-FIND STUDY at {}: {} studies in {} ms", calledAe, matches.size(), millisSince(started));
        if (LOG.isDebugEnabled()) {
            LOG.debug("C-FIND STUDY at {}: {}", calledAe, matches.stream().map(StudyMatch::studyInstanceUid).toList());
        }
        return matches;
    }

    /**
     * Asks the PACS to send every instance of one study to {@code destinationAe} (which the PACS must know by AE
     * title) and waits for the final response.
     *
     * @return the sub-operation counts and final status, also when some or all sub-operations failed
     * @throws PacsException REFUSED when the PACS answered with a failure status without attempting any
     *                       sub-operation (e.g. 0xA801, move destination unknown), or any transport reason
     */
    public MoveOutcome moveStudy(String studyInstanceUid, String destinationAe) throws PacsException {
        if (studyInstanceUid == null || studyInstanceUid.length() > 64 || !UID.matcher(studyInstanceUid).matches()) {
            throw new IllegalArgumentException("not a Study Instance UID: '" + studyInstanceUid + "'");
        }
        checkAe(destinationAe, "destination AE");
        long started = System.nanoTime();
        AttributeList identifier = new AttributeList();
        byte[] command;
        try {
            put(identifier, TagFromName.QueryRetrieveLevel, "STUDY");
            put(identifier, TagFromName.StudyInstanceUID, studyInstanceUid);
            command = new CMoveRequestCommandMessage(SOPClass.StudyRootQueryRetrieveInformationModelMove,
                    destinationAe).getBytes();
        } catch (DicomException | IOException e) {
            throw new IllegalStateException("cannot build a C-MOVE request", e);
        }
        Responses responses = exchange(SOPClass.StudyRootQueryRetrieveInformationModelMove, moveTimeout, "C-MOVE",
                command, identifier);
        MoveOutcome outcome = new MoveOutcome(responses.getStatus(), responses.completed, responses.failed,
                responses.warning, Duration.ofNanos(System.nanoTime() - started));
        if (isFailure(outcome.status()) && outcome.completed() + outcome.failed() + outcome.warning() == 0) {
            throw new PacsException(PacsException.Reason.REFUSED, outcome.status(), "C-MOVE of study "
                    + studyInstanceUid + " to " + destinationAe + " refused by " + calledAe + " with status "
                    + outcome.statusHex() + errorComment(responses.finalCommand), null);
        }
        LOG.info("C-MOVE study {} from {} to {}: status {}, {} completed, {} failed, {} warning, in {} ms",
                studyInstanceUid, calledAe, destinationAe, outcome.statusHex(), outcome.completed(), outcome.failed(),
                outcome.warning(), outcome.elapsed().toMillis());
        return outcome;
    }

    // ---- one request on its own association, bounded in time ----

    /** What came back for one request: the identifiers (C-FIND), the last counts (C-MOVE), the final status. */
    private static final class Responses extends CompositeResponseHandler {
        final List<AttributeList> identifiers = new ArrayList<>();
        volatile long lastResponseNanos = System.nanoTime();
        volatile int completed;
        volatile int failed;
        volatile int warning;
        volatile AttributeList finalCommand;

        Responses() {
            allowData = true; // C-FIND matches, and the failed-instance list a C-MOVE may end with
            status = STATUS_MISSING;
        }

        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList command) {
            lastResponseNanos = System.nanoTime();
            status = Attribute.getSingleIntegerValueOrDefault(command, TagFromName.Status, STATUS_MISSING);
            // C-MOVE counts: pending responses carry progress; a final one may omit them, so keep the last seen.
            completed = count(command, TagFromName.NumberOfCompletedSuboperations, completed);
            failed = count(command, TagFromName.NumberOfFailedSuboperations, failed);
            warning = count(command, TagFromName.NumberOfWarningSuboperations, warning);
            success = status == 0x0000;
            if (status != STATUS_PENDING && status != STATUS_PENDING_WARNING) {
                finalCommand = command;
                setDone(true);
            }
        }

        @Override
        protected void makeUseOfDataSet(AttributeList data) {
            lastResponseNanos = System.nanoTime();
            identifiers.add(data); // the caller reads them only once `answered` has completed
        }

        private static int count(AttributeList command, AttributeTag tag, int previous) {
            int value = Attribute.getSingleIntegerValueOrDefault(command, tag, -1);
            return value >= 0 ? value : previous;
        }
    }

    private Responses exchange(String sopClass, Duration overall, String what, byte[] command,
            AttributeList identifier) throws PacsException {
        long deadline = System.nanoTime() + overall.toNanos();
        Responses responses = new Responses();
        CompletableFuture<Association> established = new CompletableFuture<>();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        WORKERS.execute(() -> converse(sopClass, command, identifier, responses, established, answered));

        Association association;
        try {
            association = established.get(Math.min(connectTimeout.toNanos(), remaining(deadline)),
                    TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            established.cancel(false); // an association that comes later is then aborted by the worker
            throw new PacsException(PacsException.Reason.TIMEOUT, "no association with " + endpoint() + " within "
                    + Math.min(connectTimeout.toMillis(), overall.toMillis()) + " ms", null);
        } catch (ExecutionException e) {
            throw openFailure(e.getCause());
        } catch (InterruptedException e) {
            established.cancel(false);
            throw interrupted(what);
        }

        responses.lastResponseNanos = System.nanoTime(); // the response clock starts with the association
        try {
            while (true) {
                long idleLeft = responses.lastResponseNanos + responseTimeout.toNanos() - System.nanoTime();
                long wait = Math.min(idleLeft, remaining(deadline));
                if (wait <= 0) {
                    abortInBackground(association);
                    throw new PacsException(PacsException.Reason.TIMEOUT, what + " at " + endpoint() + ": "
                            + (idleLeft <= 0 ? "no response for " + responseTimeout.toMillis() + " ms"
                                    : "not finished within " + overall.toMillis() + " ms"), null);
                }
                try {
                    answered.get(wait, TimeUnit.NANOSECONDS);
                    return responses;
                } catch (TimeoutException e) {
                    // loop: recompute both limits, a response may have arrived meanwhile
                }
            }
        } catch (ExecutionException e) {
            throw exchangeFailure(what, e.getCause());
        } catch (InterruptedException e) {
            abortInBackground(association);
            throw interrupted(what);
        }
    }

    /**
     * The worker's side: open, send, collect, release. It reports through the two futures before any release or
     * abort, because PixelMed's abort (and a release the peer does not answer) blocks for seconds.
     */
    private void converse(String sopClass, byte[] command, AttributeList identifier, Responses responses,
            CompletableFuture<Association> established, CompletableFuture<Void> answered) {
        Association association;
        byte context;
        try {
            association = AssociationFactory.createNewAssociation(host, port, calledAe, callingAe,
                    presentationContexts(sopClass), null, false);
        } catch (Exception | Error e) {
            established.completeExceptionally(e);
            return;
        }
        try {
            context = association.getSuitablePresentationContextID(sopClass);
        } catch (DicomNetworkException e) {
            established.completeExceptionally(new NoContextException(e));
            abortQuietly(association);
            return;
        }
        if (!established.complete(association)) {
            abortQuietly(association); // the caller stopped waiting for it
            return;
        }
        try {
            String transferSyntax = association.getTransferSyntaxForPresentationContextID(context);
            association.setReceivedDataHandler(responses);
            association.send(context, command, null);
            association.send(context, null, encode(identifier, transferSyntax));
            association.waitForPDataPDUsUntilHandlerReportsDone();
        } catch (Exception | Error e) {
            answered.completeExceptionally(e);
            abortQuietly(association);
            return;
        }
        answered.complete(null);
        releaseQuietly(association);
    }

    private static LinkedList<PresentationContext> presentationContexts(String sopClass) {
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        // Odd ids, one transfer syntax each: the PACS accepts whichever it supports.
        contexts.add(new PresentationContext((byte) 1, sopClass, TransferSyntax.ExplicitVRLittleEndian));
        contexts.add(new PresentationContext((byte) 3, sopClass, TransferSyntax.ImplicitVRLittleEndian));
        return contexts;
    }

    /** The PACS accepted the association but none of our presentation contexts. */
    private static final class NoContextException extends Exception {
        private static final long serialVersionUID = 1L;

        NoContextException(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    private PacsException openFailure(Throwable cause) {
        if (cause instanceof NoContextException) {
            return new PacsException(PacsException.Reason.ASSOCIATION_REJECTED, endpoint()
                    + " accepted none of our presentation contexts (study-root query/retrieve not supported?)",
                    cause.getCause());
        }
        if (connectFailed(cause)) {
            return new PacsException(PacsException.Reason.UNREACHABLE, "cannot connect to " + endpoint() + ": "
                    + cause.getMessage(), cause);
        }
        if (cause instanceof DicomNetworkException) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("A-ASSOCIATE-RJ")) {
                return new PacsException(PacsException.Reason.ASSOCIATION_REJECTED, endpoint()
                        + " rejected the association from " + callingAe + ": " + message, cause);
            }
            return new PacsException(PacsException.Reason.ABORTED, endpoint()
                    + " dropped the association while negotiating: " + message, cause);
        }
        return new PacsException(PacsException.Reason.PROTOCOL, "cannot open an association to " + endpoint()
                + ": " + cause, cause);
    }

    /**
     * PixelMed reports a failed TCP connect as a DicomNetworkException whose message (not cause) names the socket
     * exception, so both are looked at.
     */
    private static boolean connectFailed(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("ConnectException") || message.contains("UnknownHostException")
                    || message.contains("NoRouteToHostException")) {
                return true;
            }
        }
        return false;
    }

    private PacsException exchangeFailure(String what, Throwable cause) {
        if (cause instanceof DicomNetworkException || cause instanceof AReleaseException
                || cause instanceof IOException) {
            return new PacsException(PacsException.Reason.ABORTED, what + " at " + endpoint()
                    + ": the association ended before the final response (" + cause.getMessage() + ")", cause);
        }
        return new PacsException(PacsException.Reason.PROTOCOL, what + " at " + endpoint() + ": " + cause, cause);
    }

    private PacsException interrupted(String what) {
        Thread.currentThread().interrupt();
        return new PacsException(PacsException.Reason.INTERRUPTED, what + " at " + endpoint() + " interrupted",
                null);
    }

    private static void releaseQuietly(Association association) {
        try {
            association.release();
        } catch (Exception e) {
            abortQuietly(association); // a release that fails must still close the socket
        }
    }

    /** For the caller's thread: PixelMed's abort waits 5 s before it closes the socket. */
    private static void abortInBackground(Association association) {
        WORKERS.execute(() -> abortQuietly(association));
    }

    private static void abortQuietly(Association association) {
        try {
            association.abort();
        } catch (Exception e) {
            LOG.debug("abort of {} failed: {}", association.getEndpointDescription(), e.toString());
        }
    }

    // ---- identifiers ----

    private static void put(AttributeList list, AttributeTag tag, String valueOrNull) throws DicomException {
        Attribute attribute = list.putNewAttribute(tag);
        if (valueOrNull != null) {
            attribute.addValue(valueOrNull);
        }
    }

    /** The identifier as the data set of a P-DATA message: no file meta header, the negotiated transfer syntax. */
    private static byte[] encode(AttributeList identifier, String transferSyntax) throws DicomException, IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        identifier.write(new DicomOutputStream(bytes, null, transferSyntax));
        if (bytes.size() % 2 != 0) {
            bytes.write(0); // PDVs must have even length
        }
        return bytes.toByteArray();
    }

    /** Null when the answer lacks a UID or contradicts a key we sent. */
    private static StudyMatch toMatch(AttributeList identifier, String patientId, String issuerOrNull,
            String modalityOrNull) {
        String uid = Attribute.getSingleStringValueOrEmptyString(identifier, TagFromName.StudyInstanceUID).trim();
        if (uid.isEmpty() || contradicts(identifier, TagFromName.PatientID, patientId)
                || (issuerOrNull != null && contradicts(identifier, TagFromName.IssuerOfPatientID, issuerOrNull))) {
            return null;
        }
        String[] values = Attribute.getStringValues(identifier, TagFromName.ModalitiesInStudy);
        List<String> modalities = values == null ? List.of()
                : Arrays.stream(values).map(String::trim).filter(m -> !m.isEmpty()).toList();
        if (modalityOrNull != null && !modalities.isEmpty() && !modalities.contains(modalityOrNull)) {
            return null;
        }
        int instances = Attribute.getSingleIntegerValueOrDefault(identifier, TagFromName.NumberOfStudyRelatedInstances,
                -1);
        return new StudyMatch(uid, date(Attribute.getSingleStringValueOrEmptyString(identifier, TagFromName.StudyDate)),
                modalities, Attribute.getSingleStringValueOrEmptyString(identifier, TagFromName.StudyDescription).trim(),
                instances >= 0 ? OptionalInt.of(instances) : OptionalInt.empty());
    }

    /** True when the answer carries the attribute with a value different from what we asked for. */
    private static boolean contradicts(AttributeList identifier, AttributeTag tag, String expected) {
        String value = Attribute.getSingleStringValueOrNull(identifier, tag);
        return value != null && !value.isBlank() && !value.trim().equals(expected.trim());
    }

    private static LocalDate date(String text) {
        try {
            return text.isBlank() ? null : LocalDate.parse(text.trim(), DA);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- small helpers ----

    private static boolean isFailure(int status) {
        int high = status & 0xF000;
        return high == 0xA000 || high == 0xC000 || status == 0x0122 || status == 0x0124 || status == 0x0211
                || status == STATUS_MISSING;
    }

    private static String errorComment(AttributeList command) {
        String comment = command == null ? null
                : Attribute.getSingleStringValueOrNull(command, TagFromName.ErrorComment);
        return comment == null || comment.isBlank() ? "" : " (" + comment.trim() + ")";
    }

    private static String checkAe(String ae, String what) {
        if (ae == null || ae.isBlank() || ae.length() > 16 || ae.contains("\\")) {
            throw new IllegalArgumentException(what + " must be 1-16 characters without '\\': '" + ae + "'");
        }
        return ae;
    }

    private static void checkValue(String value, String what) {
        if (value == null || value.isBlank() || value.contains("*") || value.contains("?")
                || value.contains("\\")) {
            // Never echo the value: it may be a patient identifier.
            throw new IllegalArgumentException(what + " must be non-blank and free of '*', '?' and '\\'");
        }
    }

    private static Duration positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return d;
    }

    private static long remaining(long deadline) {
        return deadline - System.nanoTime();
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static String hex(int status) {
        return String.format("0x%04X", status);
    }

    private String endpoint() {
        return calledAe + "@" + host + ":" + port;
    }

    @Override
    public String toString() {
        return "PACS " + endpoint() + " as " + callingAe;
    }
}
