package org.neurostream.imaging;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** DICOM UIDs in the 2.25 (UUID-derived) form, so that the same name always gives the same UID. */
public final class Uids {
    /** {@code 2.25.<decimal of the name-based (MD5, version 3) UUID of name>}; at most 44 characters. */
    public static String fromName(String name) {
        UUID uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        return fromUuid(uuid);
    }

    public static String fromUuid(UUID uuid) {
        byte[] bytes = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, bytes);
    }

    /** SOP Instance UID of one slice of a series written by NeuroStream. */
    public static String instanceOf(String seriesUid, int sliceIndex) {
        return fromName(seriesUid + "/instance/" + sliceIndex);
    }

    private Uids() {
    }
}
