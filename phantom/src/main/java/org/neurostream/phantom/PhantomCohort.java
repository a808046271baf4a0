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
 * declining, even ones stable), then subjects N+1..N+M with a single visit. Two anatomies: the small synthetic head
 * of {@link PhantomGenerator} (T1 only, fast), or Colin27 through {@link ColinPhantomGenerator} (a real head at
 * 1 mm, T1 and FLAIR in each study, new lesions, with the ground truth written beside each subject as NIfTI and
 * JSON). Names and ids are synthetic ("PHANTOM^SUBJECT01", "NSPH-0001"); they exist so tests can prove no PHI
 * reaches the logs. Folder names carry no patient identifiers. Everything, UIDs included, follows from the seed.
 */
public final class PhantomCohort {
    public static final String ISSUER = "NEUROSTREAM-PHANTOM";
    private static final LocalDate FIRST_STUDY = LocalDate.of(2025, 1, 6);

    public enum Visit { BASELINE, FOLLOW_UP, SINGLE }

    public enum Anatomy { SYNTHETIC, COLIN27 }

    /**
     * One written series.
     *
     * @param declining                 the built-in truth for paired subjects; false for single visits
     * @param brainVolumeChangePercent  the pair's true change (NaN for single visits), same on both visits
     * @param folder                    the series folder; {@code files} in slice order
     * @param sequence                  T1 or FLAIR
     */
    public record Series(int subject, Visit visit, String sequence, String patientName, String patientId,
            String studyUid, String seriesUid, LocalDate studyDate, boolean declining,
            double brainVolumeChangePercent, double ventricleVolumeChangePercent, Path folder, List<Path> files) {
        public Series {
            files = List.copyOf(files);
        }
    }

    private final long seed;
    private final Anatomy anatomy;

    public PhantomCohort(long seed) {
        this(seed, Anatomy.SYNTHETIC);
    }

    public PhantomCohort(long seed, Anatomy anatomy) {
        this.seed = seed;
        this.anatomy = anatomy;
    }

    /** Writes the cohort under {@code directory} and returns its manifest, in writing order. */
    public List<Series> write(Path directory, int pairedSubjects, int singleSubjects) throws IOException {
        List<Series> manifest = new ArrayList<>();
        for (int subject = 1; subject <= pairedSubjects; subject++) {
            boolean declining = subject % 2 == 1;
            LocalDate baselineDate = baselineDate(subject);
            // About a year apart, a few days either way, as real follow-ups are.
            LocalDate followUpDate = baselineDate.plusDays(365 + subject % 7 - 3);
            if (anatomy == Anatomy.SYNTHETIC) {
                PhantomPair pair = new PhantomGenerator(seed).pair(subject, declining);
                Truth truth = new Truth(declining, pair.brainVolumeChangePercent(),
                        pair.ventricleVolumeChangePercent());
                manifest.add(writeVisit(directory, subject, Visit.BASELINE, "T1", pair.baseline(), baselineDate,
                        truth));
                manifest.add(writeVisit(directory, subject, Visit.FOLLOW_UP, "T1", pair.followUp(), followUpDate,
                        truth));
            } else {
                ColinPhantomGenerator.Pair pair = new ColinPhantomGenerator(seed).pair(subject, declining);
                ColinPhantomGenerator.Truth t = pair.truth();
                Truth truth = new Truth(t.declining(), t.pbvcPercent(), t.ventricleChangePercent());
                for (Visit visit : List.of(Visit.BASELINE, Visit.FOLLOW_UP)) {
                    ColinPhantomGenerator.Visit images = visit == Visit.BASELINE ? pair.baseline() : pair.followUp();
                    LocalDate date = visit == Visit.BASELINE ? baselineDate : followUpDate;
                    manifest.add(writeVisit(directory, subject, visit, "T1", images.t1(), date, truth));
                    manifest.add(writeVisit(directory, subject, visit, "FLAIR", images.flair(), date, truth));
                }
                ColinTruthWriter.write(pair, directory.resolve(String.format("subject%02d-truth", subject)));
            }
        }
        for (int subject = pairedSubjects + 1; subject <= pairedSubjects + singleSubjects; subject++) {
            Truth none = new Truth(false, Double.NaN, Double.NaN);
            if (anatomy == Anatomy.SYNTHETIC) {
                manifest.add(writeVisit(directory, subject, Visit.SINGLE, "T1", new PhantomGenerator(seed)
                        .single(subject), baselineDate(subject), none));
            } else {
                ColinPhantomGenerator.Visit visit = new ColinPhantomGenerator(seed).pair(subject, false).baseline();
                manifest.add(writeVisit(directory, subject, Visit.SINGLE, "T1", visit.t1(), baselineDate(subject),
                        none));
                manifest.add(writeVisit(directory, subject, Visit.SINGLE, "FLAIR", visit.flair(),
                        baselineDate(subject), none));
            }
        }
        return manifest;
    }

    private record Truth(boolean declining, double brainChange, double ventricleChange) {
    }

    private Series writeVisit(Path directory, int subject, Visit visit, String sequence, Volume volume,
            LocalDate date, Truth truth) throws IOException {
        String patientName = String.format("PHANTOM^SUBJECT%02d", subject);
        String patientId = String.format("NSPH-%04d", subject);
        String visitKey = "neurostream-phantom/" + seed + "/subject/" + subject + "/" + visit;
        String studyUid = Uids.fromName(visitKey + "/study");
        // The T1 keeps the key it always had, so the synthetic cohort's UIDs do not change.
        String seriesUid = Uids.fromName(visitKey + "/series/" + sequence.toLowerCase(java.util.Locale.ROOT));
        boolean flair = sequence.equals("FLAIR");
        MrSeriesMetadata metadata = new MrSeriesMetadata(patientName, patientId, ISSUER,
                LocalDate.of(1940 + subject % 25, 1 + subject % 12, 1 + subject % 28), subject % 2 == 0 ? "M" : "F",
                studyUid, date, LocalTime.of(8 + subject % 9, 15), String.format("PH%06d%d", subject,
                        visit.ordinal()), "MRI BRAIN", seriesUid, flair ? 5 : 3, flair ? "FLAIR 3D" : "T1 MPRAGE 3D",
                Uids.fromName(visitKey + "/frame-of-reference"));
        Path folder = directory.resolve(String.format("subject%02d-%s%s", subject,
                visit.name().toLowerCase().replace('_', '-'), flair ? "-flair" : ""));
        List<Path> files = MrSeriesWriter.write(asScannerIntegers(volume), metadata, folder);
        return new Series(subject, visit, sequence, patientName, patientId, studyUid, seriesUid, date,
                truth.declining(), truth.brainChange(), truth.ventricleChange(), folder, files);
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
