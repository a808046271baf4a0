package org.neurostream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.neurostream.imaging.Colin27;
import org.neurostream.imaging.MrSeriesMetadata;
import org.neurostream.imaging.MrSeriesWriter;
import org.neurostream.imaging.Reorienter;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.SeriesAssembler;
import org.neurostream.imaging.Uids;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.imaging.registration.RigidTransform;
import org.neurostream.inference.BrainExtractor;
import org.neurostream.inference.ChangeClassifier;
import org.neurostream.processor.analysis.ClassifierChangeModel;
import org.neurostream.processor.preparation.PairPreparation;
import org.neurostream.processor.preparation.Steps;

/**
 * Times every preparation step, and the change classifier, on one 256^3 1 mm pair: the Colin27 T1 conformed to
 * 256^3 as the baseline, and as the follow-up the same head moved by a known rigid motion and stored in another
 * voxel order (so reorientation has work to do). Both are written as DICOM series first, so assembly is timed
 * from files. Prints a table and writes JSON + Markdown.
 */
public final class PreparationBenchmark {
    /**
     * The motion applied to the follow-up, typical of repositioning between visits: rotations about x, y, z (3, -2,
     * 4 degrees) and a translation of (5, -3, 2) mm.
     */
    static final double[] MOTION = {3, -2, 4, 5, -3, 2};
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record Options(Path workDir, Path classifierDir, Optional<Path> brainExtractionDir,
            double[] registrationLevelsMm, Path resultsDir) {
    }

    public static Map<String, Object> run(Options options, PrintStream out) throws Exception {
        out.println("preparing a 256^3 1 mm pair from Colin27 (Debian mricron-data)...");
        Volume head = Reorienter.toCanonical(Colin27.t1());
        Volume baseline = Resampler.resampleCentred(head, new int[] {256, 256, 256}, new double[] {1, 1, 1});
        RigidTransform motion = RigidTransform.of(MOTION[0], MOTION[1], MOTION[2],
                new double[] {MOTION[3], MOTION[4], MOTION[5]}, baseline.centre());
        Volume followUp = storedRightToLeft(Resampler.resampleOnto(baseline, baseline, motion));
        List<Path> baselineFiles = MrSeriesWriter.write(baseline, metadata("1", LocalDate.of(2024, 1, 10)),
                options.workDir().resolve("baseline"));
        List<Path> followUpFiles = MrSeriesWriter.write(followUp, metadata("2", LocalDate.of(2025, 1, 14)),
                options.workDir().resolve("follow-up"));

        Map<String, Long> stages = new LinkedHashMap<>();
        Volume baselineRead = Steps.timed(stages, "assembly-prior", () -> SeriesAssembler.assemble(baselineFiles));
        Volume followUpRead = Steps.timed(stages, "assembly-current", () -> SeriesAssembler.assemble(followUpFiles));
        Optional<BrainExtractor> extractor = options.brainExtractionDir().isPresent()
                ? Optional.of(BrainExtractor.load(options.brainExtractionDir().get())) : Optional.empty();
        PairPreparation.PreparedPair prepared;
        double pDecline;
        try (ChangeClassifier classifier = ChangeClassifier.load(options.classifierDir())) {
            PairPreparation preparation = new PairPreparation(extractor,
                    new RigidRegistration(RigidRegistration.Options.defaults().withLevels(options.registrationLevelsMm())),
                    0.3);
            prepared = preparation.prepare(baselineRead, followUpRead, stages);
            pDecline = new ClassifierChangeModel(classifier).pDecline(prepared, stages);
        } finally {
            extractor.ifPresent(BrainExtractor::close);
        }

        var registration = prepared.record().getRegistration();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "preparation of one 256^3 1 mm pair (Colin27 baseline, moved follow-up)");
        report.put("command", "scripts/neurostream bench preparation"
                + (options.brainExtractionDir().isPresent() ? "" : " --no-brain-extraction"));
        report.put("machine", MachineDescription.describe());
        report.put("stageMillis", stages);
        report.put("totalMillis", stages.values().stream().mapToLong(Long::longValue).sum());
        // The follow-up was made by sampling the baseline through the motion, so registration (which maps baseline
        // points to follow-up points) should find the motion's inverse.
        RigidTransform expected = motion.inverse();
        RigidTransform recovered = RigidTransform.of(registration.getRotationDegrees().get(0),
                registration.getRotationDegrees().get(1), registration.getRotationDegrees().get(2),
                registration.getTranslationMm().stream().mapToDouble(Double::doubleValue).toArray(),
                baseline.centre());
        report.put("expectedMotion", Map.of("rotationDegrees", boxed(expected.anglesDegrees()),
                "translationMm", boxed(expected.translationMm())));
        report.put("registrationErrorMmAtCentre", recovered.displacementDifference(expected, baseline.centre()));
        report.put("registrationResidualRotationDegrees", recovered.compose(expected.inverse())
                .rotationAngleDegrees());
        report.put("recovered", Map.of("rotationDegrees", registration.getRotationDegrees(),
                "translationMm", registration.getTranslationMm(), "nccBefore", registration.getSimilarityBefore(),
                "nccAfter", registration.getSimilarityAfter()));
        report.put("orientations", Map.of("prior", prepared.record().getPriorOrientation(),
                "current", prepared.record().getCurrentOrientation()));
        report.put("brainVolumeMl", Map.of(
                "prior", String.valueOf(prepared.record().getPriorBrainVolumeMl()),
                "current", String.valueOf(prepared.record().getCurrentBrainVolumeMl())));
        report.put("pDecline", pDecline);
        report.put("peakRssMb", MachineDescription.peakRssMb());
        print(report, stages, out);
        write(report, stages, options.resultsDir());
        return report;
    }

    /** The same voxels with axis i reversed: a volume stored right-to-left, as NIfTI-style exports are. */
    static Volume storedRightToLeft(Volume v) {
        float[] flipped = new float[v.voxelCount()];
        float[] in = v.data();
        int nx = v.nx();
        for (int row = 0; row < v.ny() * v.nz(); row++) {
            for (int i = 0; i < nx; i++) {
                flipped[row * nx + i] = in[row * nx + (nx - 1 - i)];
            }
        }
        double[] d = v.direction();
        double[] direction = {-d[0], d[1], d[2], -d[3], d[4], d[5], -d[6], d[7], d[8]};
        double[] origin = v.toPatient(nx - 1, 0, 0);
        return new Volume(nx, v.ny(), v.nz(), v.spacing(), origin, direction, flipped);
    }

    private static List<Double> boxed(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }

    private static MrSeriesMetadata metadata(String visit, LocalDate date) {
        String study = Uids.fromName("bench-colin27-study-" + visit);
        return new MrSeriesMetadata("BENCHMARK^COLIN27", "BENCH-0001", "NEUROSTREAM-BENCH", null, "", study, date,
                LocalTime.NOON, "", "benchmark", Uids.fromName("bench-colin27-series-" + visit), 1,
                "T1 MPRAGE 3D", Uids.fromName("bench-colin27-for-" + visit));
    }

    private static void print(Map<String, Object> report, Map<String, Long> stages, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%-28s %10s%n", "step", "ms");
        stages.forEach((name, ms) -> out.printf(Locale.ROOT, "%-28s %10d%n", name, ms));
        out.printf(Locale.ROOT, "%-28s %10d%n", "total", (Long) report.get("totalMillis"));
        out.println("registration: " + report.get("recovered") + "; expected " + report.get("expectedMotion")
                + "; error at the centre " + report.get("registrationErrorMmAtCentre") + " mm, residual rotation "
                + report.get("registrationResidualRotationDegrees") + " degrees");
        out.println("peak RSS: " + report.get("peakRssMb") + " MB; machine: " + report.get("machine"));
    }

    private static void write(Map<String, Object> report, Map<String, Long> stages, Path dir) throws IOException {
        Files.createDirectories(dir);
        String mode = (((String) ((Map<?, ?>) report.get("machine")).get("oneDnn")).startsWith("on") ? "onednn"
                : "no-onednn") + (((Map<?, ?>) report.get("brainVolumeMl")).get("prior").equals("null")
                        ? "-no-brain-extraction" : "");
        JSON.writeValue(dir.resolve("preparation-" + mode + ".json").toFile(), report);
        StringBuilder md = new StringBuilder("# Preparation of one 256^3 pair (" + mode + ")\n\n")
                .append("Produced by `").append(report.get("command")).append("`. Machine: ")
                .append(report.get("machine")).append(".\n\n| step | ms |\n| --- | ---: |\n");
        stages.forEach((name, ms) -> md.append("| ").append(name).append(" | ").append(ms).append(" |\n"));
        md.append("| **total** | ").append(report.get("totalMillis")).append(" |\n\n")
                .append("Registration: ").append(report.get("recovered")).append("; expected ")
                .append(report.get("expectedMotion")).append("; error at the centre ")
                .append(report.get("registrationErrorMmAtCentre")).append(" mm, residual rotation ")
                .append(report.get("registrationResidualRotationDegrees")).append(" degrees").append(".\n\nPeak RSS ").append(report.get("peakRssMb"))
                .append(" MB.\n");
        Files.writeString(dir.resolve("preparation-" + mode + ".md"), md.toString());
    }

    private PreparationBenchmark() {
    }
}
