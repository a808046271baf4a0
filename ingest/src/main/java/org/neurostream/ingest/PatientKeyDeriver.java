package org.neurostream.ingest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns (issuer of patient id, patient id) into a pseudonymous patient key: HMAC-SHA256 keyed with the site salt,
 * so the key cannot be recomputed from a guessed patient id without the salt. The key is the Kafka key and the
 * only patient identity that may appear in logs.
 */
public final class PatientKeyDeriver {
    private static final String ALGORITHM = "HmacSHA256";
    /** 128 bits: collision-free at any realistic patient count, still readable in a log line. */
    private static final int KEY_BYTES = 16;

    private final SecretKeySpec secret;

    public PatientKeyDeriver(String siteSalt) {
        if (siteSalt == null || siteSalt.isBlank()) {
            throw new IllegalArgumentException("a site salt is required");
        }
        this.secret = new SecretKeySpec(siteSalt.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** {@code issuer} may be null or empty (many sites never fill it); DICOM space padding is ignored. */
    public String derive(String issuer, String patientId) {
        if (patientId == null || patientId.isBlank()) {
            throw new IllegalArgumentException("patient id is empty");
        }
        // The unit separator keeps ("A", "BC") and ("AB", "C") apart.
        String message = normalise(issuer) + '\u001f' + normalise(patientId);
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret);
            byte[] digest = mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
            return "pk-" + HexFormat.of().formatHex(digest, 0, KEY_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private static String normalise(String value) {
        return value == null ? "" : value.strip();
    }
}
