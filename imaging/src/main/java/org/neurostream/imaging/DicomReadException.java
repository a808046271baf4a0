package org.neurostream.imaging;

/** A file could not be read as a DICOM image slice; the message says why. */
public class DicomReadException extends Exception {
    public DicomReadException(String message) {
        super(message);
    }

    public DicomReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
