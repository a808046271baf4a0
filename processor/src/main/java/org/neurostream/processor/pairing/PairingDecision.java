package org.neurostream.processor.pairing;

import java.util.Optional;
import org.neurostream.schemas.SeriesReceived;

/** The prior chosen for a follow-up (or none), and why. */
public record PairingDecision(SeriesReceived current, Optional<SeriesReceived> prior, Integer intervalDays,
        String reason) {
    public boolean hasPrior() {
        return prior.isPresent();
    }
}
