package org.neurostream.processor.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neurostream.schemas.AnalysisResult;

/** One line of what an analysed result found, for logs and the demo: P(decline), PBVC, new lesions. */
public final class Findings {
    private Findings() {
    }

    public static String summary(AnalysisResult result) {
        List<String> parts = new ArrayList<>();
        if (result.getPDecline() != null) {
            parts.add(String.format(Locale.ROOT, "P(decline) %.3f", result.getPDecline()));
        }
        if (result.getTissue() != null) {
            parts.add(String.format(Locale.ROOT, "PBVC %+.2f%% (BPF %.3f -> %.3f)", result.getTissue().getPbvcPercent(),
                    result.getTissue().getPrior().getBrainParenchymalFraction(),
                    result.getTissue().getCurrent().getBrainParenchymalFraction()));
        }
        if (result.getNewLesions() != null) {
            parts.add(String.format(Locale.ROOT, "%d new lesion(s), %.2f mL", result.getNewLesions().getCount(),
                    result.getNewLesions().getTotalVolumeMl()));
        }
        return parts.isEmpty() ? "no findings" : String.join(", ", parts);
    }
}
