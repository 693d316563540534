package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.DateRange;

/** Date values: a prefix and a date of any precision, compared as ranges. */
final class DateMatcher {

    private static final byte[] NO_PREFIX = new byte[0];

    private DateMatcher() {
    }

    static Alternative build(String modifier, String raw) {
        if (modifier != null) {
            throw new UnsupportedModifier(modifier);
        }
        Prefix.Prefixed p = Prefix.parse(Escapes.unescape(raw));
        DateRange range = DateRange.parse(p.value());
        if (p.prefix() == Prefix.AP) {
            long gap = Math.abs(System.currentTimeMillis() - range.low()) / 10;
            return RangeMatch.of(NO_PREFIX, Prefix.AP, range.low() - gap, range.high() + gap);
        }
        return RangeMatch.of(NO_PREFIX, p.prefix(), range.low(), range.high());
    }
}
