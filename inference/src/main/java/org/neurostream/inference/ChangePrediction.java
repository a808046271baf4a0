package org.neurostream.inference;

/** The change classifier's answer for one visit pair. */
public record ChangePrediction(double declineProbability, ModelInfo model) {
    public boolean declining() {
        return declineProbability >= 0.5;
    }
}
