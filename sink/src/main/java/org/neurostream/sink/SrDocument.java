package org.neurostream.sink;

/** A built DICOM SR: its identity and the Part 10 file bytes (with meta header). */
public record SrDocument(String resultId, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
                         String sopClassUid, byte[] bytes) {
}
