package org.neurostream.pacs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.imaging.MrSeriesMetadata;
import org.neurostream.imaging.MrSeriesWriter;
import org.neurostream.imaging.Uids;
import org.neurostream.imaging.Volume;

/**
 * Query/retrieve against a real Orthanc holding two MR studies of one patient and one of another, with DCMTK's
 * storescp as the C-MOVE destination. The @Timeout values only turn a hang into a failure.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PacsQueryRetrieveOrthancTest {
    static final String PACS_AE = "NSPACS";
    static final String OUR_AE = "NSQR";
    static final String DEST_AE = "NSDEST";
    static final String SLOW_AE = "NSSLOW";
    static final String PATIENT = "NS-QR-0001";
    static final String OTHER_PATIENT = "NS-QR-0002";
    static final String ISSUER = "NEUROSTREAM-TEST";

    record TestStudy(String uid, LocalDate date, String description, Set<String> sopInstanceUids) {
    }

    @TempDir
    static Path tmp;
    static LocalOrthanc orthanc;
    static StoreScpProcess destination;
    static StoreScpProcess slowDestination;
    static TestStudy prior;
    static TestStudy current;
    static TestStudy otherPatients;

    @BeforeAll
    static void startPacsAndDestination() throws Exception {
        assumeTrue(Files.isExecutable(LocalOrthanc.DEFAULT_EXECUTABLE), "Orthanc not installed");
        assumeTrue(Files.isExecutable(StoreScpProcess.EXECUTABLE), "DCMTK storescp not installed");
        destination = StoreScpProcess.start(DEST_AE, LocalOrthanc.freePort(), tmp.resolve("received"));
        slowDestination = StoreScpProcess.start(SLOW_AE, LocalOrthanc.freePort(), tmp.resolve("received-slow"));
        // Orthanc answers C-FIND/C-MOVE only from declared AEs, and moves only to declared ones. Our SCU never
        // receives associations, so its port is a placeholder.
        orthanc = LocalOrthanc.builder(tmp.resolve("orthanc")).aet(PACS_AE)
                .modality(new LocalOrthanc.Modality("neurostream", OUR_AE, "127.0.0.1", LocalOrthanc.freePort()))
                .modality(new LocalOrthanc.Modality("dest", DEST_AE, "127.0.0.1", destination.port()))
                .modality(new LocalOrthanc.Modality("slow", SLOW_AE, "127.0.0.1", slowDestination.port()))
                .start();
        prior = upload(PATIENT, "prior", LocalDate.of(2024, 3, 1), 3);
        current = upload(PATIENT, "current", LocalDate.of(2025, 3, 4), 4);
        otherPatients = upload(OTHER_PATIENT, "other", LocalDate.of(2025, 1, 2), 2);
        assertThat(orthanc.countInstances()).isEqualTo(9);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (orthanc != null) {
            orthanc.stop();
            assertThat(orthanc.isRunning()).isFalse();
        }
        if (slowDestination != null) {
            signal("CONT", slowDestination.pid()); // a stopped process only acts on SIGTERM once continued
            slowDestination.close();
        }
        if (destination != null) {
            destination.close();
        }
    }

    /** One MR series of {@code slices} 8x8 slices as one study, stored in Orthanc through REST. */
    static TestStudy upload(String patientId, String name, LocalDate date, int slices) throws Exception {
        String studyUid = Uids.fromName("pacs-test/" + name + "/study");
        String seriesUid = Uids.fromName("pacs-test/" + name + "/series");
        float[] data = new float[8 * 8 * slices];
        for (int n = 0; n < data.length; n++) {
            data[n] = n % 97;
        }
        Volume volume = new Volume(8, 8, slices, new double[] {1, 1, 1}, new double[] {0, 0, 0}, Volume.identity(),
                data);
        String description = "Brain " + name;
        MrSeriesMetadata metadata = new MrSeriesMetadata("TEST^" + name.toUpperCase(), patientId, ISSUER, null, "O",
                studyUid, date, LocalTime.of(9, 30), "", description, seriesUid, 1, "T1 3D", Uids.fromName(
                        "pacs-test/" + name + "/for"));
        Set<String> sops = new HashSet<>();
        for (Path file : MrSeriesWriter.write(volume, metadata, tmp.resolve("written").resolve(name))) {
            orthanc.upload(file);
            sops.add(readUid(file, TagFromName.SOPInstanceUID));
        }
        return new TestStudy(studyUid, date, description, sops);
    }

    static String readUid(Path file, AttributeTag tag) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        return Attribute.getSingleStringValueOrEmptyString(list, tag);
    }

    static PacsQueryRetrieve.Builder pacs(String callingAe) {
        return PacsQueryRetrieve.builder(callingAe, "127.0.0.1", orthanc.dicomPort(), PACS_AE)
                .connectTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(10))
                .findTimeout(Duration.ofSeconds(20)).moveTimeout(Duration.ofSeconds(30));
    }

    static void signal(String name, long pid) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
    }

    @Test
    void findByPatientIdReturnsBothStudiesWithTheirDatesAndCounts() throws Exception {
        List<StudyMatch> matches = pacs(OUR_AE).build().findStudies(PATIENT, null, null);

        assertThat(matches).extracting(StudyMatch::studyInstanceUid)
                .containsExactlyInAnyOrder(prior.uid(), current.uid());
        Map<String, StudyMatch> byUid = matches.stream()
                .collect(Collectors.toMap(StudyMatch::studyInstanceUid, m -> m));
        for (TestStudy expected : List.of(prior, current)) {
            StudyMatch match = byUid.get(expected.uid());
            assertThat(match.studyDate()).isEqualTo(expected.date());
            assertThat(match.modalitiesInStudy()).containsExactly("MR");
            assertThat(match.studyDescription()).isEqualTo(expected.description());
            assertThat(match.numberOfInstances()).isEqualTo(OptionalInt.of(expected.sopInstanceUids().size()));
        }
    }

    @Test
    void issuerAndModalityNarrowTheMatch() throws Exception {
        PacsQueryRetrieve qr = pacs(OUR_AE).build();

        assertThat(qr.findStudies(PATIENT, ISSUER, "MR")).extracting(StudyMatch::studyInstanceUid)
                .containsExactlyInAnyOrder(prior.uid(), current.uid());
        assertThat(qr.findStudies(PATIENT, ISSUER, "CT")).isEmpty();
        assertThat(qr.findStudies(PATIENT, "ANOTHER-ISSUER", "MR")).isEmpty();
    }

    @Test
    void anotherPatientIdFindsOnlyThatPatientsStudies() throws Exception {
        PacsQueryRetrieve qr = pacs(OUR_AE).build();

        assertThat(qr.findStudies("NS-QR-0009", null, null)).isEmpty();
        assertThat(qr.findStudies("NS-QR-000", null, null)).isEmpty(); // a prefix is not a match
        assertThat(qr.findStudies(OTHER_PATIENT, null, "MR")).extracting(StudyMatch::studyInstanceUid)
                .containsExactly(otherPatients.uid());
    }

    @Test
    void moveDeliversExactlyThatStudysInstancesToTheDestination() throws Exception {
        destination.clear();

        MoveOutcome outcome = pacs(OUR_AE).build().moveStudy(prior.uid(), DEST_AE);

        assertThat(outcome.allDelivered()).as("outcome %s", outcome).isTrue();
        assertThat(outcome.completed()).isEqualTo(prior.sopInstanceUids().size());
        assertThat(outcome.failed()).isZero();
        List<Path> received = destination.awaitFiles(prior.sopInstanceUids().size(), Duration.ofSeconds(5));
        Set<String> sops = new HashSet<>();
        for (Path file : received) {
            assertThat(readUid(file, TagFromName.StudyInstanceUID)).isEqualTo(prior.uid());
            sops.add(readUid(file, TagFromName.SOPInstanceUID));
        }
        assertThat(received).hasSameSizeAs(prior.sopInstanceUids());
        assertThat(sops).isEqualTo(prior.sopInstanceUids());
    }

    @Test
    void moveToADestinationThePacsDoesNotKnowIsRefused() throws Exception {
        destination.clear();

        assertRefused(() -> pacs(OUR_AE).build().moveStudy(current.uid(), "NOSUCHAE"));
        assertThat(destination.files()).isEmpty();
    }

    @Test
    void moveOfAStudyThePacsDoesNotHoldIsRefused() throws Exception {
        destination.clear();

        assertRefused(() -> pacs(OUR_AE).build().moveStudy("1.2.826.0.1.3680043.2.1125.999", DEST_AE));
        assertThat(destination.files()).isEmpty();
    }

    /** Orthanc answers both with 0xC000 (unable to process); other PACS use 0xA801 for an unknown destination. */
    static void assertRefused(ThrowingCallable move) {
        assertThatThrownBy(move).isInstanceOfSatisfying(PacsException.class, e -> {
            assertThat(e.reason()).isEqualTo(PacsException.Reason.REFUSED);
            assertThat(e.status() & 0xF000).isIn(0xA000, 0xC000);
        });
    }

    @Test
    void aCallingAeThePacsDoesNotKnowGetsAClearError() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> pacs("STRANGER").build().findStudies(PATIENT, null, null))
                .isInstanceOfSatisfying(PacsException.class,
                        e -> assertThat(e.reason()).isEqualTo(PacsException.Reason.ABORTED)); // Orthanc's way
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aDestinationThatStopsAnsweringEndsTheMoveWithATimeout() throws Exception {
        // storescp stopped: Orthanc's C-STORE to it hangs, so Orthanc sends no C-MOVE response for a while.
        signal("STOP", slowDestination.pid());
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> pacs(OUR_AE).responseTimeout(Duration.ofSeconds(2)).build()
                    .moveStudy(otherPatients.uid(), SLOW_AE))
                    .isInstanceOfSatisfying(PacsException.class,
                            e -> assertThat(e.reason()).isEqualTo(PacsException.Reason.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        } finally {
            signal("CONT", slowDestination.pid());
        }
    }
}
