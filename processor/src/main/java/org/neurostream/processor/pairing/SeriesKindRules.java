package org.neurostream.processor.pairing;

import java.util.Locale;
import java.util.regex.Pattern;
import org.neurostream.schemas.SeriesReceived;

/**
 * Decides from the DICOM headers whether a series is a 3D T1-weighted brain acquisition, the input of the change
 * classifier. Headers only: whether the instances make a volume is for assembly to decide (a series can arrive
 * in parts). The walking skeleton's rule set; configurable rules per site come with richer series kinds.
 */
public final class SeriesKindRules {
    private static final Pattern T1_NAMES = Pattern.compile(
            "T1|MPRAGE|MP-RAGE|MP_RAGE|SPGR|BRAVO|TFE|FLASH|IR-FSPGR|3D[ _-]?T1", Pattern.CASE_INSENSITIVE);
    private static final Pattern NOT_PRIMARY = Pattern.compile("DERIVED|SECONDARY|LOCALIZER|SCOUT");

    public static SeriesKind classify(SeriesReceived series) {
        String modality = upper(series.getModality());
        if (!"MR".equals(modality)) {
            return ignored("modality " + (modality.isEmpty() ? "missing" : modality) + " is not MR");
        }
        String imageType = upper(series.getImageType());
        if (NOT_PRIMARY.matcher(imageType).find()) {
            return ignored("image type " + imageType + " is not an original acquisition");
        }
        String bodyPart = upper(series.getBodyPartExamined());
        if (!bodyPart.isEmpty() && !(bodyPart.contains("BRAIN") || bodyPart.contains("HEAD"))) {
            return ignored("body part " + bodyPart + " is not the brain");
        }
        String names = nullToEmpty(series.getSeriesDescription()) + " " + nullToEmpty(series.getProtocolName());
        if (!T1_NAMES.matcher(names).find()) {
            return ignored("description/protocol does not name a T1-weighted sequence");
        }
        if (!"3D".equals(upper(series.getMrAcquisitionType()))) {
            return ignored("MR acquisition type is not 3D");
        }
        return new SeriesKind(SeriesKind.Kind.T1_3D, "3D T1-weighted MR of the brain");
    }

    private static SeriesKind ignored(String reason) {
        return new SeriesKind(SeriesKind.Kind.IGNORED, reason);
    }

    private static String upper(String s) {
        return s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private SeriesKindRules() {
    }
}
