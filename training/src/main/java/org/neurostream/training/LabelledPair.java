package org.neurostream.training;

import org.neurostream.inference.PreparedPair;

/** A prepared visit pair with its ground truth (from the phantom generator). */
public record LabelledPair(long seed, int subject, PreparedPair pair, boolean declining) {
}
