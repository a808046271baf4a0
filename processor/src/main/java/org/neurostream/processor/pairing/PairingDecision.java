package org.neurostream.processor.pairing;

import java.util.Optional;
import org.neurostream.schemas.SeriesReceived;

/**
 * The prior chosen for a follow-up series (or none) and why. {@code supersedes} names the result this decision
 * replaces when a late-arriving study changed the follow-up's best prior.
 */
public record PairingDecision(SeriesReceived current, SeriesKind.Kind kind, Optional<SeriesReceived> prior,
        Integer intervalDays, String reason, Optional<String> supersedes) {
    public boolean hasPrior() {
        return prior.isPresent();
    }

    public PairingDecision superseding(String resultId) {
        return new PairingDecision(current, kind, prior, intervalDays, reason, Optional.ofNullable(resultId));
    }

    public PairingDecision withReason(String newReason) {
        return new PairingDecision(current, kind, prior, intervalDays, newReason, supersedes);
    }
}
