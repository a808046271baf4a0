package org.neurostream.phantom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.imaging.DicomHeader;
import org.neurostream.imaging.DicomSliceReader;
import org.neurostream.imaging.SeriesAssembler;
import org.neurostream.imaging.Volume;

class PhantomCohortTest {
    @TempDir
    Path dir;

    @Test
    void writesPairsAndSinglesWithAManifest() throws Exception {
        List<PhantomCohort.Series> manifest = new PhantomCohort(11).write(dir, 2, 1);

        assertThat(manifest).extracting(PhantomCohort.Series::subject).containsExactly(1, 1, 2, 2, 3);
        assertThat(manifest).extracting(PhantomCohort.Series::visit).containsExactly(
                PhantomCohort.Visit.BASELINE, PhantomCohort.Visit.FOLLOW_UP, PhantomCohort.Visit.BASELINE,
                PhantomCohort.Visit.FOLLOW_UP, PhantomCohort.Visit.SINGLE);
        assertThat(manifest).extracting(PhantomCohort.Series::declining)
                .containsExactly(true, true, false, false, false);
        assertThat(manifest.get(0).patientName()).isEqualTo("PHANTOM^SUBJECT01");
        assertThat(manifest.get(4).patientId()).isEqualTo("NSPH-0003");
        assertThat(manifest.get(0).brainVolumeChangePercent()).isBetween(-4.0, -1.5);
        assertThat(manifest.get(4).brainVolumeChangePercent()).isNaN();
        long days = ChronoUnit.DAYS.between(manifest.get(0).studyDate(), manifest.get(1).studyDate());
        assertThat(days).isBetween(360L, 370L);
        assertThat(manifest).extracting(PhantomCohort.Series::studyUid).doesNotHaveDuplicates();
        assertThat(manifest).extracting(PhantomCohort.Series::seriesUid).doesNotHaveDuplicates();
        for (PhantomCohort.Series series : manifest) {
            assertThat(series.files()).hasSize(80).allSatisfy(file -> assertThat(file).isRegularFile());
            assertThat(series.folder().getFileName().toString()).doesNotContain(series.patientId());
            try (Stream<Path> listing = Files.list(series.folder())) {
                assertThat(listing.count()).isEqualTo(80);
            }
        }
        DicomHeader header = DicomSliceReader.readHeader(manifest.get(1).files().get(0));
        assertThat(header.patientId()).isEqualTo("NSPH-0001");
        assertThat(header.issuerOfPatientId()).isEqualTo(PhantomCohort.ISSUER);
        assertThat(header.studyInstanceUid()).isEqualTo(manifest.get(1).studyUid());
        assertThat(header.seriesInstanceUid()).isEqualTo(manifest.get(1).seriesUid());
        assertThat(header.studyLocalDate()).contains(manifest.get(1).studyDate());
    }

    @Test
    void sameSeedWritesTheSameUids() throws Exception {
        List<PhantomCohort.Series> first = new PhantomCohort(5).write(dir.resolve("a"), 0, 1);
        List<PhantomCohort.Series> second = new PhantomCohort(5).write(dir.resolve("b"), 0, 1);
        List<PhantomCohort.Series> other = new PhantomCohort(6).write(dir.resolve("c"), 0, 1);

        assertThat(second.get(0).seriesUid()).isEqualTo(first.get(0).seriesUid());
        assertThat(second.get(0).studyUid()).isEqualTo(first.get(0).studyUid());
        assertThat(other.get(0).seriesUid()).isNotEqualTo(first.get(0).seriesUid());
        assertThat(Files.readAllBytes(second.get(0).files().get(40)))
                .isEqualTo(Files.readAllBytes(first.get(0).files().get(40)));
    }

    /** The round trip the demo relies on: phantom -> DICOM files -> shuffled -> assembled volume. */
    @Test
    void writtenPhantomAssemblesBackToTheGeneratedVolume() throws Exception {
        List<PhantomCohort.Series> manifest = new PhantomCohort(3).write(dir, 0, 1);
        Volume expected = new PhantomGenerator(3).single(1);
        List<Path> files = new ArrayList<>(manifest.get(0).files());
        Collections.shuffle(files, new Random(1));

        Volume read = SeriesAssembler.assemble(files);

        assertThat(read.spacing()).containsExactly(expected.spacing(), within(1e-9));
        assertThat(read.origin()).containsExactly(expected.origin(), within(1e-9));
        assertThat(read.direction()).containsExactly(expected.direction(), within(1e-12));
        // The cohort stores scanner-like integers: every value comes back rounded, and exactly so.
        float[] rounded = PhantomCohort.asScannerIntegers(expected).data();
        assertThat(read.data()).isEqualTo(rounded);
        for (int n = 0; n < expected.voxelCount(); n++) {
            assertThat((double) read.data()[n]).isCloseTo(expected.data()[n], within(0.5));
        }
    }
}
