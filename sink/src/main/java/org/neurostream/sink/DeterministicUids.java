package org.neurostream.sink;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * UIDs derived from names ({@code 2.25.<decimal of a name-based UUID>}, PS3.5 B.2), so that replaying a result
 * produces the same SOP Instance UID and the PACS keeps one copy instead of two.
 */
public final class DeterministicUids {
    private DeterministicUids() {
    }

    public static String fromName(String name) {
        UUID uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        byte[] bytes = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, bytes);
    }

    public static String srSopInstanceUid(String resultId) {
        return fromName("neurostream/sr/instance/" + resultId);
    }

    public static String srSeriesInstanceUid(String resultId) {
        return fromName("neurostream/sr/series/" + resultId);
    }
}
