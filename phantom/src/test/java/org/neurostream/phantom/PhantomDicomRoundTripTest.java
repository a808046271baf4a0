package org.neurostream.phantom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.imaging.MrSeriesMetadata;
import org.neurostream.imaging.MrSeriesWriter;
import org.neurostream.imaging.SeriesAssembler;
import org.neurostream.imaging.Uids;
import org.neurostream.imaging.Volume;

/** The float phantom through the writer's rescale path and back, files shuffled. */
class PhantomDicomRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void floatPhantomSurvivesWithinSixteenBitQuantisation() throws Exception {
        Volume original = new PhantomGenerator(21).pair(2, true).followUp();
        MrSeriesMetadata metadata = new MrSeriesMetadata("PHANTOM^RT", "NSPH-0002", PhantomCohort.ISSUER,
                LocalDate.of(1960, 1, 1), "M", Uids.fromName("rt/study"), LocalDate.of(2026, 1, 5),
                LocalTime.NOON, "", "MRI BRAIN", Uids.fromName("rt/series"), 3, "T1 MPRAGE 3D",
                Uids.fromName("rt/frame"));
        List<Path> files = new ArrayList<>(MrSeriesWriter.write(original, metadata, dir));
        Collections.shuffle(files, new Random(3));

        Volume read = SeriesAssembler.assemble(files);

        assertThat(read.origin()).containsExactly(original.origin(), within(1e-9));
        assertThat(read.spacing()).containsExactly(original.spacing(), within(1e-9));
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : original.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        // Half a quantisation step, plus float rounding of values near the maximum.
        double halfStep = (max - min) / 65535.0 / 2 * 1.001 + Math.ulp(max);
        double worst = 0;
        for (int n = 0; n < original.voxelCount(); n++) {
            worst = Math.max(worst, Math.abs(read.data()[n] - original.data()[n]));
        }
        assertThat(worst).isLessThanOrEqualTo(halfStep);
    }
}
