package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.StudyRef;

/** The sink's decisions without Kafka or sockets: retries, failures, skips. */
class ResultHandlerTest {
    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(4));

    @TempDir
    Path tmp;
    FileBlobStore blobs;
    StudyRef prior;
    StudyRef current;

    @BeforeEach
    void writeStudies() throws Exception {
        blobs = new FileBlobStore(tmp.resolve("blobs"));
        prior = TestStudies.writeSeries(blobs, "prior", "20250110", 1);
        current = TestStudies.writeSeries(blobs, "current", "20260112", 1);
    }

    /** Fails the first {@code failures} calls, then records what it got. */
    static final class FlakyTarget implements DeliveryTarget {
        final AtomicInteger calls = new AtomicInteger();
        final List<ResultPackage> delivered = new ArrayList<>();
        final String name;
        final int failures;

        FlakyTarget(int failures) {
            this("flaky", failures);
        }

        FlakyTarget(String name, int failures) {
            this.name = name;
            this.failures = failures;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Delivered deliver(ResultPackage p) throws Exception {
            if (calls.incrementAndGet() <= failures) {
                throw new java.io.IOException("PACS busy (call " + calls.get() + ")");
            }
            delivered.add(p);
            return new Delivered("flaky://" + p.sr().sopInstanceUid(), false, List.of(p.sr().sopInstanceUid()));
        }
    }

    @Test
    void transientFailuresAreRetried() {
        FlakyTarget target = new FlakyTarget(2);
        DeliveryOutcome outcome = new ResultHandler(new ResultPackager(blobs), List.of(target), QUICK)
                .handle(TestStudies.analysed("r", current, prior, 0.5));
        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
        assertThat(target.calls).hasValue(3);
        assertThat(outcome.locations()).containsEntry("flaky", "flaky://" + outcome.srSopInstanceUid());
    }

    @Test
    void aTargetThatKeepsFailingFailsTheResultButNotTheOthers() {
        FlakyTarget broken = new FlakyTarget(Integer.MAX_VALUE);
        FlakyTarget fine = new FlakyTarget("fine", 0);
        DeliveryOutcome outcome = new ResultHandler(new ResultPackager(blobs), List.of(broken, fine), QUICK)
                .handle(TestStudies.analysed("r", current, prior, 0.5));
        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.FAILED);
        assertThat(outcome.reason()).contains("after 3 attempts").contains("flaky: PACS busy (call 3)");
        assertThat(broken.calls).hasValue(3);
        assertThat(fine.delivered).hasSize(1);
        assertThat(outcome.locations()).containsOnlyKeys("fine");
    }

    @Test
    void aMissingSourceBlobFailsAtOnceWithoutDelivering() {
        InstanceRef missing = InstanceRef.newBuilder(current.getInstances().get(0))
                .setBlobRef("sha256:" + "0".repeat(64)).build();
        StudyRef broken = StudyRef.newBuilder(current).setInstances(List.of(missing)).build();
        FlakyTarget target = new FlakyTarget(0);
        DeliveryOutcome outcome = new ResultHandler(new ResultPackager(blobs), List.of(target), QUICK)
                .handle(TestStudies.analysed("r", broken, prior, 0.5));
        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.FAILED);
        assertThat(outcome.reason()).startsWith("SR build failed").contains("not in the store");
        assertThat(target.calls).hasValue(0);
    }

    @Test
    void anUnreadableSourceHeaderFailsWithAReasonFreeOfPatientData() {
        // The parser's message quotes element values, as PixelMed's may.
        BlobStore quoting = new QuotingBlobStore(blobs);
        InstanceRef source = current.getInstances().get(0);
        DeliveryOutcome outcome = new ResultHandler(new ResultPackager(quoting), List.of(new FlakyTarget(0)), QUICK)
                .handle(TestStudies.analysed("r", current, prior, 0.5));

        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.FAILED);
        assertThat(outcome.reason()).startsWith("SR build failed")
                .contains(source.getSopInstanceUid()).contains(source.getBlobRef()).contains("IOException")
                .doesNotContainIgnoringCase(TestStudies.PATIENT_NAME)
                .doesNotContain(TestStudies.PATIENT_ID);
    }

    /** Serves every blob as a stream whose first read fails with a message quoting patient data. */
    private record QuotingBlobStore(BlobStore real) implements BlobStore {
        @Override
        public InputStream open(String ref) {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("bad value '" + TestStudies.PATIENT_NAME + "' after PatientID "
                            + TestStudies.PATIENT_ID);
                }
            };
        }

        @Override
        public String put(byte[] bytes) throws IOException {
            return real.put(bytes);
        }

        @Override
        public String putFile(Path file) throws IOException {
            return real.putFile(file);
        }

        @Override
        public boolean contains(String ref) {
            return real.contains(ref);
        }

        @Override
        public byte[] read(String ref) throws IOException {
            return real.read(ref);
        }

        @Override
        public Path localPath(String ref) throws IOException {
            return real.localPath(ref);
        }
    }

    @Test
    void aLabelMapOfTheWrongSizeFailsAtOnceWithAReasonCode() throws Exception {
        StudyRef flair = TestStudies.writeFlair(blobs, "bad-mask", "20260112");
        var good = TestStudies.withLesionsAndTissue(blobs, "bad-mask", flair, prior);
        var badMask = org.neurostream.schemas.LabelMap.newBuilder(good.getNewLesions().getMask())
                .setBlobRef(blobs.put(new byte[7])).build();
        var bad = org.neurostream.schemas.AnalysisResult.newBuilder(good)
                .setNewLesions(org.neurostream.schemas.NewLesions.newBuilder(good.getNewLesions())
                        .setMask(badMask).build()).build();
        FlakyTarget target = new FlakyTarget(0);
        DeliveryOutcome outcome = new ResultHandler(new ResultPackager(blobs), List.of(target), QUICK).handle(bad);
        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.FAILED);
        assertThat(outcome.reasonCode()).isEqualTo("build-failed");
        assertThat(outcome.reason()).contains("holds 7 bytes");
        assertThat(target.calls).hasValue(0);
    }

    @Test
    void aRefusingPeerIsNotRetried() {
        DeliveryTarget refusing = new DeliveryTarget() {
            final AtomicInteger calls = new AtomicInteger();

            @Override
            public String name() {
                return "refusing";
            }

            @Override
            public Delivered deliver(ResultPackage p) throws Exception {
                throw new PermanentFailure("refused with HTTP 422 (call " + calls.incrementAndGet() + ")");
            }
        };
        DeliveryOutcome outcome = new ResultHandler(new ResultPackager(blobs), List.of(refusing), QUICK)
                .handle(TestStudies.analysed("r", current, prior, 0.5));
        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.FAILED);
        assertThat(outcome.reason()).contains("HTTP 422 (call 1)");
    }

    @Test
    void noPriorIsSkippedWithItsReason() {
        FlakyTarget target = new FlakyTarget(0);
        DeliveryOutcome outcome = new ResultHandler(new ResultPackager(blobs), List.of(target), QUICK)
                .handle(TestStudies.noPrior("r", current));
        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.SKIPPED);
        assertThat(outcome.reason()).contains("NO_PRIOR").contains("no earlier study");
        assertThat(target.calls).hasValue(0);
    }
}
