package org.neurostream.phantom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neurostream.imaging.NiftiWriter;

/**
 * The ground truth of a Colin27 phantom pair, beside its DICOM series: {@code truth.json} (decline, PBVC,
 * volumes, ventricle change, motion, every new lesion) and NIfTI label maps on each visit's own grid
 * ({@code baseline-labels}, {@code followup-labels}: 1 CSF, 2 grey, 3 white, 4 ventricles; {@code new-lesions}).
 */
public final class ColinTruthWriter {
    private ColinTruthWriter() {
    }

    public static void write(ColinPhantomGenerator.Pair pair, Path folder) throws IOException {
        Files.createDirectories(folder);
        NiftiWriter.writeLabels(pair.baseline().labels(), folder.resolve("baseline-labels.nii.gz"));
        NiftiWriter.writeLabels(pair.followUp().labels(), folder.resolve("followup-labels.nii.gz"));
        NiftiWriter.writeLabels(pair.newLesionMask(), folder.resolve("new-lesions.nii.gz"));
        Files.writeString(folder.resolve("truth.json"), json(pair));
    }

    static String json(ColinPhantomGenerator.Pair pair) {
        ColinPhantomGenerator.Truth t = pair.truth();
        List<String> lesions = new ArrayList<>();
        for (ColinPhantomGenerator.Lesion l : t.newLesions()) {
            lesions.add(String.format(Locale.ROOT, "    {\"centreMm\": [%.2f, %.2f, %.2f], \"volumeMl\": %.4f}",
                    l.centreMm()[0], l.centreMm()[1], l.centreMm()[2], l.volumeMl()));
        }
        return String.format(Locale.ROOT, """
                {
                  "about": "Ground truth of a NeuroStream phantom pair (Colin27 anatomy, synthetic change). Coordinates are DICOM patient coordinates (LPS, mm) of the follow-up series.",
                  "subject": %d,
                  "declining": %s,
                  "declineThresholdPbvcPercent": %.2f,
                  "pbvcPercent": %.4f,
                  "priorParenchymaMl": %.2f,
                  "currentParenchymaMl": %.2f,
                  "priorVentriclesMl": %.2f,
                  "currentVentriclesMl": %.2f,
                  "ventricleChangePercent": %.3f,
                  "motionDegrees": [%.3f, %.3f, %.3f],
                  "motionMm": [%.3f, %.3f, %.3f],
                  "newLesionCount": %d,
                  "newLesionVolumeMl": %.4f,
                  "newLesions": [
                %s
                  ]
                }
                """, pair.subject(), t.declining(), ColinPhantomGenerator.DECLINE_THRESHOLD_PBVC, t.pbvcPercent(),
                t.priorParenchymaMl(), t.currentParenchymaMl(), t.priorVentriclesMl(), t.currentVentriclesMl(),
                t.ventricleChangePercent(), t.motionDegrees()[0], t.motionDegrees()[1], t.motionDegrees()[2],
                t.motionMm()[0], t.motionMm()[1], t.motionMm()[2], t.newLesions().size(), t.newLesionVolumeMl(),
                String.join(",\n", lesions));
    }
}
