package org.neurostream.processor.pairing;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.neurostream.schemas.SeriesReceived;

/**
 * Chooses the prior visit for a follow-up: the most recent earlier study of the same patient that has a 3D T1
 * series. "Earlier" is by study date; a series of the same study is never its own prior.
 */
public final class PriorSelector {
    private static final DateTimeFormatter DICOM_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    public static PairingDecision select(List<SeriesReceived> history, SeriesReceived current) {
        Optional<LocalDate> currentDate = studyDate(current);
        if (currentDate.isEmpty()) {
            return new PairingDecision(current, Optional.empty(), null,
                    "no prior: the follow-up has no valid study date, so no visit can be ordered before it");
        }
        Optional<SeriesReceived> prior = history.stream()
                .filter(s -> !s.getStudyInstanceUid().equals(current.getStudyInstanceUid()))
                .filter(s -> SeriesKindRules.classify(s).isT1())
                .filter(s -> studyDate(s).map(d -> d.isBefore(currentDate.get())).orElse(false))
                // Most recent date wins; among series of that study, the one completed last (the complete one).
                .max(Comparator.comparing((SeriesReceived s) -> studyDate(s).get())
                        .thenComparingLong(SeriesReceived::getCompletedAtMillis));
        if (prior.isEmpty()) {
            return new PairingDecision(current, Optional.empty(), null,
                    "no prior: no earlier study of this patient has a 3D T1 series");
        }
        int days = (int) ChronoUnit.DAYS.between(studyDate(prior.get()).get(), currentDate.get());
        return new PairingDecision(current, prior, days,
                "paired with the most recent earlier study with a 3D T1 series (" + days + " days before)");
    }

    static Optional<LocalDate> studyDate(SeriesReceived s) {
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
