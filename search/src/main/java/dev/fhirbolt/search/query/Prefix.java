package dev.fhirbolt.search.query;

import java.util.Locale;

/** The comparison prefixes of number, date and quantity search values. */
public enum Prefix {
    EQ, NE, GT, LT, GE, LE, SA, EB, AP;

    /** A value with its prefix taken off. */
    public record Prefixed(Prefix prefix, String value) {
    }

    public static Prefixed parse(String raw) {
        if (raw.length() > 2 && Character.isLetter(raw.charAt(0)) && Character.isLetter(raw.charAt(1))) {
            try {
                return new Prefixed(valueOf(raw.substring(0, 2).toUpperCase(Locale.ROOT)), raw.substring(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown prefix '" + raw.substring(0, 2) + "'");
            }
        }
        return new Prefixed(EQ, raw);
    }
}
