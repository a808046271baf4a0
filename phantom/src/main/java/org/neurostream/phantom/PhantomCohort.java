package org.neurostream.phantom;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.neurostream.imaging.MrSeriesMetadata;
import org.neurostream.imaging.MrSeriesWriter;
import org.neurostream.imaging.Uids;
import org.neurostream.imaging.Volume;

/**
 * Writes a demo cohort as DICOM: subjects 1..N with a baseline and a follow-up about a year later (odd subjects
 * declining, even ones stable), then subjects N+1..N+M with a single visit. Names and ids are synthetic
 * ("PHANTOM^SUBJECT01", "NSPH-0001"); they exist so tests can prove no PHI reaches the logs. Folder names
 * carry no patient identifiers. Everything, UIDs included, follows from the seed.
 */
public final class PhantomCohort {
    public static final String ISSUER = "NEUROSTREAM-PHANTOM";
    private static final LocalDate FIRST_STUDY = LocalDate.of(2025, 1, 6);

    public enum Visit { BASELINE, FOLLOW_UP, SINGLE }

    /**
     * One written series.
     *
     * @param declining                 the built-in truth for paired subjects; false for single visits
     * @param brainVolumeChangePercent  the pair's true change (NaN for single visits), same on both visits
     * @param folder                    the series folder; {@code files} in slice order
     */
    public record Series(int subject, Visit visit, String patientName, String patientId, String studyUid,
            String seriesUid, LocalDate studyDate, boolean declining, double brainVolumeChangePercent,
            double ventricleVolumeChangePercent, Path folder, List<Path> files) {
        public Series {
            files = List.copyOf(files);
        }
    }

    private final long seed;
    private final PhantomGenerator generator;

    public PhantomCohort(long seed) {
        this.seed = seed;
        this.generator = new PhantomGenerator(seed);
    }

    /** Writes the cohort under {@code directory} and returns its manifest, in writing order. */
    public List<Series> write(Path directory, int pairedSubjects, int singleSubjects) throws IOException {
        List<Series> manifest = new ArrayList<>();
        for (int subject = 1; subject <= pairedSubjects; subject++) {
            boolean declining = subject % 2 == 1;
            PhantomPair pair = generator.pair(subject, declining);
            LocalDate baselineDate = baselineDate(subject);
            // About a year apart, a few days either way, as real follow-ups are.
            LocalDate followUpDate = baselineDate.plusDays(365 + subject % 7 - 3);
            manifest.add(writeVisit(directory, subject, Visit.BASELINE, pair.baseline(), baselineDate, declining,
                    pair.brainVolumeChangePercent(), pair.ventricleVolumeChangePercent()));
            manifest.add(writeVisit(directory, subject, Visit.FOLLOW_UP, pair.followUp(), followUpDate, declining,
                    pair.brainVolumeChangePercent(), pair.ventricleVolumeChangePercent()));
        }
        for (int subject = pairedSubjects + 1; subject <= pairedSubjects + singleSubjects; subject++) {
            manifest.add(writeVisit(directory, subject, Visit.SINGLE, generator.single(subject),
                    baselineDate(subject), false, Double.NaN, Double.NaN));
        }
        return manifest;
    }

    private Series writeVisit(Path directory, int subject, Visit visit, Volume volume, LocalDate date,
            boolean declining, double brainChange, double ventricleChange) throws IOException {
        String patientName = String.format("PHANTOM^SUBJECT%02d", subject);
        String patientId = String.format("NSPH-%04d", subject);
        String visitKey = "neurostream-phantom/" + seed + "/subject/" + subject + "/" + visit;
        String studyUid = Uids.fromName(visitKey + "/study");
        String seriesUid = Uids.fromName(visitKey + "/series/t1");
        MrSeriesMetadata metadata = new MrSeriesMetadata(patientName, patientId, ISSUER,
                LocalDate.of(1940 + subject % 25, 1 + subject % 12, 1 + subject % 28), subject % 2 == 0 ? "M" : "F",
                studyUid, date, LocalTime.of(8 + subject % 9, 15), String.format("PH%06d%d", subject,
                        visit.ordinal()), "MRI BRAIN", seriesUid, 3, "T1 MPRAGE 3D",
                Uids.fromName(visitKey + "/frame-of-reference"));
        Path folder = directory.resolve(String.format("subject%02d-%s", subject,
                visit.name().toLowerCase().replace('_', '-')));
        List<Path> files = MrSeriesWriter.write(asScannerIntegers(volume), metadata, folder);
        return new Series(subject, visit, patientName, patientId, studyUid, seriesUid, date, declining,
                brainChange, ventricleChange, folder, files);
    }

    /**
     * Scanners store integer pixel values; rounding (at most 0.5 on a white matter level of about 800, far below
     * the noise) lets the files do without RescaleSlope/Intercept, which the MR Image IOD does not define.
     */
    static Volume asScannerIntegers(Volume volume) {
        float[] in = volume.data();
        float[] out = new float[in.length];
        for (int n = 0; n < in.length; n++) {
            out[n] = (float) Math.min(65535, Math.max(0, Math.rint(in[n])));
        }
        return volume.withData(out);
    }

    private static LocalDate baselineDate(int subject) {
        return FIRST_STUDY.plusDays(3L * subject);
    }
}
