package org.neurostream.imaging;

import java.math.BigDecimal;
import java.math.MathContext;

/** Formatting of numbers as DICOM Decimal Strings (DS: at most 16 characters). */
public final class DecimalStrings {
    private static final int MAX_LENGTH = 16;

    public static String format(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("DS cannot hold " + value);
        }
        if (value == 0) {
            return "0";
        }
        for (int digits = 12; digits >= 1; digits--) {
            BigDecimal rounded = new BigDecimal(value).round(new MathContext(digits)).stripTrailingZeros();
            String plain = rounded.toPlainString();
            if (plain.length() <= MAX_LENGTH) {
                return plain;
            }
            String scientific = rounded.toString();
            if (scientific.length() <= MAX_LENGTH) {
                return scientific;
            }
        }
        throw new IllegalArgumentException("cannot format " + value + " as DS");
    }

    private DecimalStrings() {
    }
}
