package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceValidatorTest {
    @TempDir
    Path dir;

    private final PatientKeyDeriver keys = new PatientKeyDeriver("salt");
    private final InstanceValidator validator = new InstanceValidator(keys);

    @Test
    void readsTheSeriesFieldsAndKeepsOnlyThePatientKey() throws Exception {
        TestMrSeries series = TestMrSeries.write(dir, 2);

        InstanceHeader header = validator.validate(series.files.get(1), series.sopUids.get(1));

        assertThat(header.patientKey()).isEqualTo(keys.derive(TestMrSeries.ISSUER, TestMrSeries.PATIENT_ID));
        assertThat(header.sopInstanceUid()).isEqualTo(series.sopUids.get(1));
        assertThat(header.seriesInstanceUid()).isEqualTo(series.seriesUid);
        assertThat(header.studyInstanceUid()).isEqualTo(series.studyUid);
        assertThat(header.instanceNumber()).isEqualTo(2);
        assertThat(header.scanningSequence()).isEqualTo("GR\\IR");
        assertThat(header.sequenceVariant()).isEqualTo("SP\\MP");
        assertThat(header.imageType()).isEqualTo("ORIGINAL\\PRIMARY\\M\\ND");
        assertThat(header.geometry().getRows()).isEqualTo(TestMrSeries.ROWS);
        assertThat(header.geometry().getColumns()).isEqualTo(TestMrSeries.COLUMNS);
        assertThat(header.geometry().getPixelSpacing()).containsExactly(0.9, 0.8);
        assertThat(header.geometry().getSliceThickness()).isEqualTo(1.2);
        assertThat(header.geometry().getImageOrientationPatient()).containsExactly(0.0, 1.0, 0.0, 0.0, 0.0, -1.0);
        assertThat(header.toString()).doesNotContain(TestMrSeries.PATIENT_ID);
    }

    @Test
    void shortPixelDataIsRejected() throws Exception {
        Path file = TestMrSeries.write(dir, 1).writeShortPixelData(dir.resolve("short.dcm"));

        assertThatThrownBy(() -> validator.validate(file, null))
                .isInstanceOfSatisfying(InstanceRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo("truncated-pixel-data");
                    assertThat(e.status()).isEqualTo(DimseStatus.DATA_SET_DOES_NOT_MATCH_SOP_CLASS);
                });
    }

    @Test
    void cutOffFileIsUnparseable() throws Exception {
        Path whole = TestMrSeries.write(dir, 1).files.get(0);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.dcm"), Arrays.copyOf(bytes, bytes.length - 700));

        assertThatThrownBy(() -> validator.validate(cut, null))
                .isInstanceOfSatisfying(InstanceRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(DimseStatus.CANNOT_UNDERSTAND);
                    assertThat(e.getMessage()).contains("parsing stopped at byte");
                });
    }

    @Test
    void textIsUnparseable() throws Exception {
        // What the SCP spools when a sender streams text as the data set: our meta header, then the text.
        Path text = TestMrSeries.writeMetaHeaderFollowedBy(dir.resolve("notes.dcm"),
                "this is not a DICOM data set, just some text\n".repeat(20).getBytes());

        assertThatThrownBy(() -> validator.validate(text, null))
                .isInstanceOfSatisfying(InstanceRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo("unparseable"));
    }

    @Test
    void objectWithoutPatientOrSeriesIsRejected() throws Exception {
        Path file = TestMrSeries.writeNonImage(dir.resolve("nonimage.dcm"));

        assertThatThrownBy(() -> validator.validate(file, null))
                .isInstanceOfSatisfying(InstanceRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo("missing-attribute"));
    }

    @Test
    void dataSetMustBeTheInstanceTheCommandAnnounced() throws Exception {
        TestMrSeries series = TestMrSeries.write(dir, 1);

        assertThatThrownBy(() -> validator.validate(series.files.get(0), "1.2.3.4"))
                .isInstanceOfSatisfying(InstanceRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo("sop-instance-mismatch"));
    }
}
