package org.neurostream.phantom;

/** Deterministic synthetic brain T1 phantoms: the same seed and subject index always give the same volumes. */
public final class PhantomGenerator {
    private final long seed;

    public PhantomGenerator(long seed) {
        this.seed = seed;
    }

    /** Baseline and follow-up of subject {@code subject}; {@code declining} chooses the kind of change. */
    public PhantomPair pair(int subject, boolean declining) {
        throw new UnsupportedOperationException("TODO");
    }
}
