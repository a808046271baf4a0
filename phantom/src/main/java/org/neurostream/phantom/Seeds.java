package org.neurostream.phantom;

import java.util.Random;

/** Independent, reproducible random streams per (seed, subject, purpose). */
final class Seeds {
    static final int ANATOMY = 1;
    static final int CHANGE = 2;
    static final int BASELINE_SCAN = 3;
    static final int FOLLOW_UP_SCAN = 4;

    static Random stream(long seed, int subject, int purpose) {
        long mixed = seed * 0x9E3779B97F4A7C15L + subject * 0xBF58476D1CE4E5B9L + purpose * 0x94D049BB133111EBL;
        // A splitmix-style finaliser so neighbouring subjects do not get correlated java.util.Random sequences.
        mixed = (mixed ^ (mixed >>> 30)) * 0xBF58476D1CE4E5B9L;
        mixed = (mixed ^ (mixed >>> 27)) * 0x94D049BB133111EBL;
        return new Random(mixed ^ (mixed >>> 31));
    }

    static double uniform(Random random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    private Seeds() {
    }
}
