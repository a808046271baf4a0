package org.neurostream.sink;

/**
 * A built DICOM object (SR, SEG or key image): its identity and its Part 10 bytes (with meta header).
 *
 * @param kind short name: {@code sr}, {@code seg}, {@code key-image}
 */
public record DicomObject(String kind, String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
                          String sopClassUid, byte[] bytes) {
}
