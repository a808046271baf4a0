package org.neurostream.ingest;

/** C-STORE response statuses (DICOM PS3.4 B.2.3, PS3.7 C) that ingest sends. */
public final class DimseStatus {
    public static final int SUCCESS = 0x0000;
    /** Refused: out of resources (our blob store failed; the sender may retry later). */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** Error: data set does not match SOP class (required attributes missing, pixel data short). */
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** Error: cannot understand (the payload does not parse as DICOM). */
    public static final int CANNOT_UNDERSTAND = 0xC000;

    public static String hex(int status) {
        return String.format("0x%04X", status);
    }

    private DimseStatus() {
    }
}
