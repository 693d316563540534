package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import java.math.BigDecimal;

/**
 * Number values. eq and ne use the implied precision of the value as written (100 is [99.5, 100.5), 1e2 is
 * [50, 150)); the other prefixes compare with the value itself; ap is within 10%.
 */
final class NumberMatcher {

    private static final byte[] NO_PREFIX = new byte[0];

    private NumberMatcher() {
    }

    static Alternative build(String modifier, String raw) {
        if (modifier != null) {
            throw new UnsupportedModifier(modifier);
        }
        Prefix.Prefixed p = Prefix.parse(Escapes.unescape(raw));
        return range(NO_PREFIX, p.prefix(), parse(p.value()), 1.0);
    }

    /** A decimal search value; IllegalArgumentException for anything else or one beyond what the index holds. */
    static BigDecimal parse(String value) {
        BigDecimal number;
        try {
            number = new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a number");
        }
        if (Math.abs(number.scale()) > MAX_SCALE || !Double.isFinite(number.doubleValue())) {
            throw new IllegalArgumentException("the number '" + value + "' is out of range");
        }
        return number;
    }

    /** Decimal places (or, negative, powers of ten) beyond which a value cannot be told apart in a double. */
    private static final int MAX_SCALE = 400;

    /** The range alternative for a number (scaled by {@code factor} into the indexed unit). */
    static Alternative range(byte[] prefix, Prefix op, BigDecimal value, double factor) {
        double v = value.doubleValue() * factor;
        double half = BigDecimal.ONE.movePointLeft(value.scale()).doubleValue() / 2 * factor;
        return switch (op) {
            case EQ, NE -> RangeMatch.of(prefix, op, Encoded.sortableDouble(v - half),
                    Encoded.sortableDouble(Math.nextDown(v + half)));
            case AP -> RangeMatch.of(prefix, op, Encoded.sortableDouble(v - Math.abs(v) / 10),
                    Encoded.sortableDouble(v + Math.abs(v) / 10));
            default -> RangeMatch.of(prefix, op, Encoded.sortableDouble(v), Encoded.sortableDouble(v));
        };
    }
}
