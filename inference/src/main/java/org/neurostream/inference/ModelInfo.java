package org.neurostream.inference;

/** Which model produced a result (traceability): name, version, SHA-256 of saved_model.pb, device it ran on. */
public record ModelInfo(String name, String version, String sha256, String device) {
}
