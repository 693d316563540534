package dev.fhirbolt.search.query;

import java.util.Locale;

/** The comparison prefixes of number, date and quantity search values. */
public enum Prefix {
    EQ, NE, GT, LT, GE, LE, SA, EB, AP;

    /** A value with its prefix taken off. */
    public record Prefixed(Prefix prefix, String value) {
    }

    /**
     * Takes off a known two-letter prefix; a value that starts with other letters keeps them, so that the value's
     * own parser says what is wrong with it ("'yesterday' is not a date").
     */
    public static Prefixed parse(String raw) {
        if (raw.length() > 2 && Character.isLetter(raw.charAt(0)) && Character.isLetter(raw.charAt(1))) {
            String code = raw.substring(0, 2).toUpperCase(Locale.ROOT);
            for (Prefix prefix : values()) {
                if (prefix.name().equals(code)) {
                    return new Prefixed(prefix, raw.substring(2));
                }
            }
        }
        return new Prefixed(EQ, raw);
    }
}
