package org.neurostream.schemas.ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Identifiers derived from their inputs only (event ids, pair ids, result ids): every stage is idempotent
 * because a replay or a retry computes the same id again and every target can recognise what it already has.
 */
public final class DerivedIds {
    /** The first 32 hex digits (128 bits) of the SHA-256 of the parts, each part ended by a NUL byte. */
    public static String of(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0); // separator: ("ab","c") and ("a","bc") differ
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private DerivedIds() {
    }
}
