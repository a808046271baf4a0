package org.neurostream.imaging;

/** Slices do not form one regular volume; the message says why (and where, when slices are missing). */
public class VolumeAssemblyException extends Exception {
    public VolumeAssemblyException(String message) {
        super(message);
    }
}
