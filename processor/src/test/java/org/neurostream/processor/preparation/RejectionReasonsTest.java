package org.neurostream.processor.preparation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.neurostream.imaging.DicomSlice;
import org.neurostream.imaging.SeriesAssembler;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.registration.RigidRegistration;

/**
 * Each assembly and preparation failure, produced by the real imaging and preparation code, must map to its own
 * stable code: a reworded exception message fails here rather than silently becoming "analysis-failed".
 */
class RejectionReasonsTest {

    @Test
    void everyAssemblyFailureHasItsCode() {
        assertThat(codeOfAssembly(s -> s.subList(0, 2))).isEqualTo("too-few-slices");
        assertThat(codeOfAssembly(s -> without(s, 4))).isEqualTo("missing-slices");
        assertThat(codeOfAssembly(s -> replace(s, 2, slice(2, 0, new double[] {1, 0, 0, 0, 0.9945, 0.1045},
                new double[] {2, 2}, 16)))).isEqualTo("mixed-orientation");
        assertThat(codeOfAssembly(s -> replace(s, 2, slice(2, 0, AXIAL, new double[] {2, 2}, 12))))
                .isEqualTo("mixed-image-size");
        assertThat(codeOfAssembly(s -> replace(s, 2, slice(2, 0, AXIAL, new double[] {2.5, 2.5}, 16))))
                .isEqualTo("mixed-pixel-spacing");
        assertThat(codeOfAssembly(s -> replace(s, 2, slice(2, 0.5, AXIAL, new double[] {2, 2}, 16))))
                .isEqualTo("sheared-stack");
        assertThat(codeOfAssembly(s -> replace(s, 2, slice(1, 0, AXIAL, new double[] {2, 2}, 16))))
                .isEqualTo("duplicate-slice-position");
        assertThat(codeOfAssembly(s -> {
            List<DicomSlice> shifted = new ArrayList<>(s.subList(0, 4));
            for (int k = 4; k < s.size(); k++) {
                shifted.add(slice(k + 0.3, 0, AXIAL, new double[] {2, 2}, 16));
            }
            return shifted;
        })).isEqualTo("irregular-spacing");
    }

    @Test
    void aPairThatDoesNotRegisterHasItsCode() {
        Random random = new Random(7);
        float[] noise = new float[24 * 24 * 24];
        float[] smooth = new float[noise.length];
        for (int n = 0; n < noise.length; n++) {
            noise[n] = random.nextFloat() * 1000;
            int i = n % 24;
            int j = n / 24 % 24;
            int k = n / 576;
            smooth[n] = (float) (500 + 400 * Math.sin(i / 4.0) * Math.cos(j / 5.0) * Math.sin(k / 3.0));
        }
        Volume a = new Volume(24, 24, 24, new double[] {2, 2, 2}, new double[] {0, 0, 0}, Volume.identity(), smooth);
        Volume b = a.withData(noise);
        PairPreparation preparation = new PairPreparation(Optional.empty(),
                new RigidRegistration(RigidRegistration.Options.defaults().withLevels(4)), 0.3);
        Throwable e = catchThrowable(() -> preparation.prepare(a, b, new LinkedHashMap<>()));
        assertThat(e).isInstanceOf(PairPreparation.PreparationException.class);
        assertThat(RejectionReasons.code("analysis failed: " + e.getMessage())).isEqualTo("registration-quality");
    }

    @Test
    void unknownFailuresAreAnalysisFailedAndCodingIsIdempotent() {
        assertThat(RejectionReasons.code("analysis failed: NullPointerException")).isEqualTo(RejectionReasons.OTHER);
        String coded = RejectionReasons.withCode("analysis failed: series 1.2.3: missing slices: about 1");
        assertThat(coded).isEqualTo("missing-slices: analysis failed: series 1.2.3: missing slices: about 1");
        assertThat(RejectionReasons.withCode(coded)).isEqualTo(coded);
        assertThat(RejectionReasons.codeOf(coded)).isEqualTo("missing-slices");
    }

    private static final double[] AXIAL = {1, 0, 0, 0, 1, 0};

    private static String codeOfAssembly(UnaryOperator<List<DicomSlice>> breakIt) {
        List<DicomSlice> good = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            good.add(slice(k, 0, AXIAL, new double[] {2, 2}, 16));
        }
        Throwable e = catchThrowable(() -> SeriesAssembler.assembleSlices(breakIt.apply(good)));
        assertThat(e).as("assembly must fail").isNotNull();
        // As PairAnalyzer words it: "analysis failed: series <uid>: <message>".
        return RejectionReasons.code("analysis failed: series 1.2.3: " + e.getMessage());
    }

    /** Slice k of a 16-column axial stack at 2 mm; {@code shiftX} moves it sideways (mm). */
    private static DicomSlice slice(double k, double shiftX, double[] orientation, double[] spacing, int rows) {
        int n = (int) Math.round(k * 10);
        return new DicomSlice("1.2", "1.2.3." + n, "1.2.4", "1.2.5", "1.2.6", n + 1, rows, 16, spacing,
                new double[] {shiftX, 0, 2 * k}, orientation, 2, new float[rows * 16]);
    }

    private static List<DicomSlice> without(List<DicomSlice> slices, int index) {
        List<DicomSlice> out = new ArrayList<>(slices);
        out.remove(index);
        return out;
    }

    private static List<DicomSlice> replace(List<DicomSlice> slices, int index, DicomSlice slice) {
        List<DicomSlice> out = new ArrayList<>(slices);
        out.set(index, slice);
        return out;
    }
}
