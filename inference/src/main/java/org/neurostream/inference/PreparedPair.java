package org.neurostream.inference;

/** Two prepared visits (see {@link ChangeClassifierPreprocessing#prepareArray}), ready for the model. */
public record PreparedPair(float[] baseline, float[] followUp) {
    public PreparedPair {
        if (baseline.length != followUp.length) {
            throw new IllegalArgumentException("baseline has " + baseline.length + " voxels, follow-up "
                    + followUp.length);
        }
    }
}
