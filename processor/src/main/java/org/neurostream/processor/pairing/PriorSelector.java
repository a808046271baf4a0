package org.neurostream.processor.pairing;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.neurostream.schemas.HistoryEntry;
import org.neurostream.schemas.SeriesReceived;

/**
 * Chooses the prior for a follow-up series among a patient's history: same series kind, an earlier study whose
 * date lies inside the {@link PriorRules} window, the most recent such study winning. Ties (several series of that
 * kind in the prior study) go to the series completed last, then the highest series UID, so the choice never
 * depends on arrival order. Every decision carries its reason.
 */
public final class PriorSelector {
    private static final DateTimeFormatter DICOM_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    public static PairingDecision select(List<HistoryEntry> history, SeriesReceived current, SeriesKind.Kind kind,
            PriorRules rules) {
        Optional<LocalDate> currentDate = studyDate(current);
        if (currentDate.isEmpty()) {
            return none(current, kind, "no prior: the follow-up has no valid study date, so no visit can be ordered "
                    + "before it");
        }
        List<SeriesReceived> earlier = history.stream()
                .filter(e -> e.getKind().equals(kind.name()))
                .map(HistoryEntry::getSeries)
                .filter(s -> !s.getStudyInstanceUid().equals(current.getStudyInstanceUid()))
                .filter(s -> studyDate(s).map(d -> d.isBefore(currentDate.get())).orElse(false))
                .toList();
        if (earlier.isEmpty()) {
            return none(current, kind, "no prior: no earlier study of this patient has a " + kind + " series");
        }
        Optional<SeriesReceived> prior = earlier.stream()
                .filter(s -> rules.allows(days(s, currentDate.get())))
                .max(Comparator.comparing((SeriesReceived s) -> studyDate(s).get())
                        .thenComparingLong(SeriesReceived::getCompletedAtMillis)
                        .thenComparing(SeriesReceived::getSeriesInstanceUid));
        if (prior.isEmpty()) {
            long nearest = earlier.stream().mapToLong(s -> days(s, currentDate.get())).min().getAsLong();
            return none(current, kind, "no prior: " + earlier.size() + " earlier " + kind + " series, none within "
                    + "the prior window of " + rules.describe() + " (the nearest is " + nearest + " days before)");
        }
        int interval = (int) days(prior.get(), currentDate.get());
        long passedOver = earlier.stream().filter(s -> days(s, currentDate.get()) < interval).count();
        String reason = "paired with the most recent " + kind + " series " + interval + " days earlier (window "
                + rules.describe() + ")" + (passedOver > 0 ? "; " + passedOver + " more recent series outside the "
                + "window passed over" : "");
        return new PairingDecision(current, kind, prior, interval, reason, Optional.empty());
    }

    private static PairingDecision none(SeriesReceived current, SeriesKind.Kind kind, String reason) {
        return new PairingDecision(current, kind, Optional.empty(), null, reason, Optional.empty());
    }

    private static long days(SeriesReceived earlier, LocalDate current) {
        return ChronoUnit.DAYS.between(studyDate(earlier).get(), current);
    }

    public static Optional<LocalDate> studyDate(SeriesReceived s) {
        if (s.getStudyDate() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(s.getStudyDate().trim(), DICOM_DATE));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private PriorSelector() {
    }
}
