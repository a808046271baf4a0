package org.neurostream.inference.tfjs;

import java.io.IOException;

/** A TF.js model folder that cannot be read or holds something the converter does not support. */
public class TfjsFormatException extends IOException {
    public TfjsFormatException(String message) {
        super(message);
    }

    public TfjsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
