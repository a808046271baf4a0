package org.neurostream.processor.pairing;

/** What a series is for NeuroStream's purposes, with the reason for the verdict (kept for the audit trail). */
public record SeriesKind(Kind kind, String reason) {
    public enum Kind {
        T1_3D, FLAIR_3D, FLAIR_2D, IGNORED;

        public boolean isPairable() {
            return this != IGNORED;
        }
    }

    public boolean isPairable() {
        return kind.isPairable();
    }
}
