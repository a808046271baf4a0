package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.schemas.DeadLetter;

/**
 * Every object ingest refuses leaves a dead letter (stage ingest, reason "code: message", the SOP Instance UID
 * when known, never the object or patient data) and counts in neurostream_dead_letters{stage,reason}; and a series
 * refuses instances that contradict it: another patient, another study, a known SOP Instance UID with other content.
 */
class IngestDeadLetterTest {
    @TempDir
    Path dir;

    private final List<DeadLetter> letters = new CopyOnWriteArrayList<>();
    private IngestMetrics metrics;
    private SeriesCompletionTracker tracker;
    private InstanceIngestor ingestor;

    @BeforeEach
    void setUp() throws Exception {
        metrics = new IngestMetrics(new SimpleMeterRegistry());
        tracker = new SeriesCompletionTracker(Duration.ofMinutes(1), new MutableClock());
        ingestor = new InstanceIngestor(new InstanceValidator(new PatientKeyDeriver("salt")),
                new FileBlobStore(dir.resolve("blobs")), tracker, metrics, Clock.systemUTC(),
                new DeadLetterPublisher() {
                    @Override
                    public void publish(DeadLetter letter) {
                        letters.add(letter);
                    }

                    @Override
                    public void close() {
                    }
                });
    }

    @Test
    void anUnparseableObjectLeavesADeadLetterWithItsReasonCode() throws Exception {
        Path text = Files.writeString(dir.resolve("letter.dcm"), "not an image at all", StandardCharsets.US_ASCII);

        IngestOutcome outcome = ingestor.ingest(text, null, null, "stow-rs:test", null);

        assertThat(outcome.stored()).isFalse();
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(l.getStage()).isEqualTo("ingest");
            assertThat(l.getReason()).startsWith("unparseable: ").contains("stow-rs:test");
            assertThat(l.getSubjectId()).isNull();
            assertThat(l.getPayload()).isNull(); // the object holds patient data: never copied into Kafka
        });
        assertThat(metrics.deadLetteredCount("unparseable")).isEqualTo(1);
        assertThat(metrics.rejectedCount("unparseable")).isEqualTo(1);
    }

    @Test
    void aSeriesRefusesAnotherPatientAnotherStudyAndAChangedDuplicate() throws Exception {
        TestMrSeries series = TestMrSeries.write(Files.createDirectories(dir.resolve("series")), 3);
        for (Path file : series.files) {
            assertThat(ingestor.ingest(file, null, null, "c-store:TEST", null).stored()).isTrue();
        }
        Path otherPatient = copyEditing(series.files.get(0), "other-patient.dcm", list -> {
            set(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), TestMrSeries.newUid());
            set(list, new LongStringAttribute(TagFromName.PatientID), "SOMEONE-ELSE");
        });
        Path otherStudy = copyEditing(series.files.get(0), "other-study.dcm", list -> {
            set(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), TestMrSeries.newUid());
            set(list, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), TestMrSeries.newUid());
        });
        Path changedTwin = copyEditing(series.files.get(1), "twin.dcm", list -> {
            OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
            pixels.setValues(new short[TestMrSeries.ROWS * TestMrSeries.COLUMNS]);
            list.put(pixels);
        });

        assertThat(ingestor.ingest(otherPatient, null, null, "c-store:TEST", null).reason())
                .isEqualTo("series-patient-mismatch");
        assertThat(ingestor.ingest(otherStudy, null, null, "c-store:TEST", null).reason())
                .isEqualTo("series-study-mismatch");
        IngestOutcome twin = ingestor.ingest(changedTwin, null, null, "c-store:TEST", null);
        assertThat(twin.reason()).isEqualTo("duplicate-sop-instance-uid");
        assertThat(twin.sopInstanceUid()).isEqualTo(series.sopUids.get(1));
        // An identical re-send is still fine.
        assertThat(ingestor.ingest(series.files.get(1), null, null, "c-store:TEST", null).stored()).isTrue();

        assertThat(letters).extracting(l -> l.getReason().substring(0, l.getReason().indexOf(':')))
                .containsExactly("series-patient-mismatch", "series-study-mismatch", "duplicate-sop-instance-uid");
        assertThat(letters.get(2).getSubjectId()).isEqualTo(series.sopUids.get(1));
        assertThat(letters).allSatisfy(l -> assertThat(l.getReason()).doesNotContain(TestMrSeries.PATIENT_ID)
                .doesNotContain("SOMEONE-ELSE"));
        // The series still holds its three first instances, nothing else.
        assertThat(tracker.takeAll()).singleElement()
                .satisfies(e -> assertThat(e.getInstances()).hasSize(3));
    }

    interface Edit {
        void apply(AttributeList list) throws Exception;
    }

    private Path copyEditing(Path source, String name, Edit edit) throws Exception {
        AttributeList list = new AttributeList();
        list.read(source.toFile());
        edit.apply(list);
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "TESTSCU");
        Path target = dir.resolve(name);
        list.write(target.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return target;
    }

    private static void set(AttributeList list, Attribute attribute, String value) throws Exception {
        attribute.addValue(value);
        list.put(attribute);
    }
}
