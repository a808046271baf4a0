package org.neurostream.sink;

/**
 * One figure of a result, named the same way in the SR, the FHIR Observations and the HL7 OBX segments.
 *
 * @param key        stable within the result (used for FHIR identifiers and OBX sub-ids), e.g. {@code lesion-2-volume}
 * @param concept    what is measured
 * @param value      the number
 * @param unit       UCUM unit
 * @param group      the measurement group it belongs to, e.g. {@code new lesion 2}, {@code tissue, prior visit}
 * @param timePoint  {@code current} or {@code prior}: which visit a per-visit figure describes
 */
public record Measurement(String key, Code concept, double value, Code unit, String group, String timePoint) {
}
