package org.neurostream.processor.preparation;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stable, enum-like codes for why a follow-up was rejected, for the dead-letter record, the metric tag and the log.
 * The analysis reports a rejection as text (the imaging and preparation exceptions' own messages, which name UIDs
 * and slice positions); this table recognises those messages by their fixed wording. {@code RejectionReasonsTest}
 * produces each failure through the real imaging code, so a reworded message fails a test instead of silently
 * becoming {@link #OTHER}.
 */
public final class RejectionReasons {
    /** A rejection none of the known messages explains. */
    public static final String OTHER = "analysis-failed";

    /** First match wins: specific phrases before the general ones they contain. */
    private static final List<Map.Entry<String, String>> PHRASES = List.of(
            Map.entry("is not in the blob store", "blob-missing"),
            Map.entry("compressed transfer syntax", "unsupported-transfer-syntax"),
            Map.entry("samples per pixel", "unsupported-pixel-format"),
            Map.entry("multi-frame object", "unsupported-pixel-format"),
            Map.entry("bitsallocated", "unsupported-pixel-format"),
            Map.entry("missing or invalid rows", "invalid-image-size"),
            Map.entry("missing or invalid columns", "invalid-image-size"),
            Map.entry("invalid pixelspacing", "invalid-pixel-spacing"),
            Map.entry("pixelspacing needs", "missing-geometry"),
            Map.entry("imagepositionpatient needs", "missing-geometry"),
            Map.entry("imageorientationpatient needs", "missing-geometry"),
            Map.entry("no pixel data", "missing-pixel-data"),
            Map.entry("pixel data holds", "truncated-pixel-data"),
            Map.entry("unreadable pixel data", "truncated-pixel-data"),
            Map.entry("not a dicom part 10", "unreadable-object"),
            Map.entry("truncated", "unreadable-object"),
            Map.entry("malformed", "unreadable-object"),
            Map.entry("file meta information", "unreadable-object"),
            Map.entry("a volume needs at least", "too-few-slices"),
            Map.entry("mixed orientation", "mixed-orientation"),
            Map.entry("mixed rows/columns", "mixed-image-size"),
            Map.entry("mixed pixel spacing", "mixed-pixel-spacing"),
            Map.entry("not stacked along their normal", "sheared-stack"),
            Map.entry("duplicate slice position", "duplicate-slice-position"),
            Map.entry("missing slices", "missing-slices"),
            Map.entry("non-uniform slice spacing", "irregular-spacing"),
            Map.entry("registration quality check failed", "registration-quality"));

    /** The code for a rejection's reason text; {@link #OTHER} when none matches. */
    public static String code(String reason) {
        if (reason == null) {
            return OTHER;
        }
        String text = reason.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> phrase : PHRASES) {
            if (text.contains(phrase.getKey())) {
                return phrase.getValue();
            }
        }
        return OTHER;
    }

    /** {@code <code>: <reason>}, the form the dead-letter record and the REJECTED result carry. */
    public static String withCode(String reason) {
        String code = code(reason);
        return reason != null && reason.startsWith(code + ": ") ? reason : code + ": " + reason;
    }

    /** The code at the start of a reason written by {@link #withCode}. */
    public static String codeOf(String codedReason) {
        int colon = codedReason == null ? -1 : codedReason.indexOf(": ");
        return colon < 0 ? OTHER : codedReason.substring(0, colon);
    }

    private RejectionReasons() {
    }
}
