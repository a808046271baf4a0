package org.neurostream.processor.pairing;

/**
 * Which earlier visits may serve as a prior. Defaults: at least 30 days before the follow-up (a same-week
 * repeat scan shows motion and scanner variation, not disease change) and at most 5 years (beyond that the
 * comparison says more about ageing and scanner upgrades than about the question the radiologist asks). The most
 * recent eligible prior of the same series kind wins.
 */
public record PriorRules(int minIntervalDays, int maxIntervalDays) {
    public static final PriorRules DEFAULTS = new PriorRules(30, 1826);

    public PriorRules {
        if (minIntervalDays < 1 || maxIntervalDays < minIntervalDays) {
            throw new IllegalArgumentException("prior window must satisfy 1 <= min <= max days, got "
                    + minIntervalDays + ".." + maxIntervalDays);
        }
    }

    public boolean allows(long intervalDays) {
        return intervalDays >= minIntervalDays && intervalDays <= maxIntervalDays;
    }

    public String describe() {
        return minIntervalDays + "-" + maxIntervalDays + " days";
    }
}
