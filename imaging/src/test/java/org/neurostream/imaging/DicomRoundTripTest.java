package org.neurostream.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void writtenSeriesAssemblesBackToTheSameVolume() throws Exception {
        Volume original = DicomTestVolumes.oblique();
        List<Path> files = new ArrayList<>(MrSeriesWriter.write(original, DicomTestVolumes.metadata("rt"), dir));
        Collections.shuffle(files, new Random(42));

        Volume read = SeriesAssembler.assemble(files);

        assertThat(files).hasSize(original.nz());
        assertThat(new int[] {read.nx(), read.ny(), read.nz()}).containsExactly(24, 20, 7);
        assertThat(read.spacing()).containsExactly(original.spacing(), within(1e-6));
        assertThat(read.origin()).containsExactly(original.origin(), within(1e-6));
        assertThat(read.direction()).containsExactly(original.direction(), within(1e-6));
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : original.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double halfStep = (max - min) / 65535.0 / 2 * 1.001 + 1e-4;
        for (int n = 0; n < original.voxelCount(); n++) {
            assertThat((double) read.data()[n]).as("voxel %d", n).isCloseTo(original.data()[n], within(halfStep));
        }
    }

    @Test
    void integerVolumesInRangeAreStoredExactlyWithoutRescale() throws Exception {
        Volume original = DicomTestVolumes.oblique();
        float[] integers = new float[original.voxelCount()];
        for (int n = 0; n < integers.length; n++) {
            integers[n] = (n * 13) % 4000;
        }
        List<Path> files = MrSeriesWriter.write(original.withData(integers), DicomTestVolumes.metadata("int"), dir);

        Volume read = SeriesAssembler.assemble(files);

        assertThat(read.data()).containsExactly(integers);
    }

    @Test
    void headerCarriesTheMetadataAndMrTags() throws Exception {
        MrSeriesMetadata metadata = DicomTestVolumes.metadata("header");
        List<Path> files = MrSeriesWriter.write(DicomTestVolumes.oblique(), metadata, dir);

        DicomHeader header = DicomSliceReader.readHeader(files.get(2));

        assertThat(header.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(header.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.4");
        assertThat(header.sopInstanceUid()).isEqualTo(Uids.instanceOf(metadata.seriesUid(), 2));
        assertThat(header.studyInstanceUid()).isEqualTo(metadata.studyUid());
        assertThat(header.seriesInstanceUid()).isEqualTo(metadata.seriesUid());
        assertThat(header.frameOfReferenceUid()).isEqualTo(metadata.frameOfReferenceUid());
        assertThat(header.patientId()).isEqualTo("NSPH-9999");
        assertThat(header.issuerOfPatientId()).isEqualTo("NEUROSTREAM");
        assertThat(header.studyLocalDate()).contains(metadata.studyDate());
        assertThat(header.modality()).isEqualTo("MR");
        assertThat(header.seriesDescription()).isEqualTo("T1 MPRAGE 3D");
        assertThat(header.protocolName()).isEqualTo("T1 MPRAGE 3D");
        assertThat(header.imageType()).containsExactly("ORIGINAL", "PRIMARY", "M", "ND");
        assertThat(header.scanningSequence()).containsExactly("GR", "IR");
        assertThat(header.sequenceVariant()).containsExactly("SP", "MP");
        assertThat(header.mrAcquisitionType()).isEqualTo("3D");
        assertThat(header.bodyPartExamined()).isEqualTo("BRAIN");
        assertThat(header.rows()).isEqualTo(20);
        assertThat(header.columns()).isEqualTo(24);
        assertThat(header.pixelSpacing()).containsExactly(new double[] {1.1, 0.9}, within(1e-9));
        assertThat(header.sliceThickness()).isCloseTo(2.5, within(1e-9));
        assertThat(header.imageOrientation()).hasSize(6);
        assertThat(header.instanceNumber()).isEqualTo(3);
    }

    @Test
    void instanceUidsAreDeterministicAndUniquePerSlice() throws Exception {
        MrSeriesMetadata metadata = DicomTestVolumes.metadata("uids");
        List<Path> first = MrSeriesWriter.write(DicomTestVolumes.oblique(), metadata, dir.resolve("a"));
        List<Path> second = MrSeriesWriter.write(DicomTestVolumes.oblique(), metadata, dir.resolve("b"));

        var uids = new HashSet<String>();
        for (int n = 0; n < first.size(); n++) {
            String uid = DicomSliceReader.readHeader(first.get(n)).sopInstanceUid();
            assertThat(DicomSliceReader.readHeader(second.get(n)).sopInstanceUid()).isEqualTo(uid);
            uids.add(uid);
        }
        assertThat(uids).hasSize(first.size());
    }
}
