package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.storage.Bytes;
import java.util.List;

/**
 * The prefix semantics of ranges (dates, numbers, quantities): a search range [low, high] against the range of each
 * indexed value, both ends inclusive, following the R4 definitions of eq ne gt lt ge le sa eb ap.
 */
public final class RangeMatch {

    private RangeMatch() {
    }

    /**
     * Values under {@code prefix} (before the range kind byte) whose range satisfies the prefix (for ap the caller
     * passes the already widened range): the range entries of the order that finds them (L by low end, H by high end)
     * and the points (P), of which a range of values holds those the same prefix finds.
     */
    public static Alternative of(byte[] prefix, Prefix op, long low, long high) {
        final long sLow = low;
        final long sHigh = high;
        List<Alternative.VRange> ranges = switch (op) {
            case EQ -> List.of(between(prefix, Encoded.RANGE_BY_LOW, sLow, sHigh),
                    between(prefix, Encoded.RANGE_POINT, sLow, sHigh));
            case NE -> List.of(all(prefix, Encoded.RANGE_BY_LOW), all(prefix, Encoded.RANGE_POINT));
            case GT -> List.of(between(prefix, Encoded.RANGE_BY_HIGH, sHigh + 1, Long.MAX_VALUE),
                    between(prefix, Encoded.RANGE_POINT, sHigh + 1, Long.MAX_VALUE));
            case LT -> List.of(between(prefix, Encoded.RANGE_BY_LOW, Long.MIN_VALUE, sLow - 1),
                    between(prefix, Encoded.RANGE_POINT, Long.MIN_VALUE, sLow - 1));
            case GE -> List.of(between(prefix, Encoded.RANGE_BY_HIGH, sLow, Long.MAX_VALUE),
                    between(prefix, Encoded.RANGE_POINT, sLow, Long.MAX_VALUE));
            case LE -> List.of(between(prefix, Encoded.RANGE_BY_LOW, Long.MIN_VALUE, sHigh),
                    between(prefix, Encoded.RANGE_POINT, Long.MIN_VALUE, sHigh));
            case SA -> List.of(between(prefix, Encoded.RANGE_BY_LOW, sHigh + 1, Long.MAX_VALUE),
                    between(prefix, Encoded.RANGE_POINT, sHigh + 1, Long.MAX_VALUE));
            case EB -> List.of(between(prefix, Encoded.RANGE_BY_HIGH, Long.MIN_VALUE, sLow - 1),
                    between(prefix, Encoded.RANGE_POINT, Long.MIN_VALUE, sLow - 1));
            case AP -> List.of(between(prefix, Encoded.RANGE_BY_LOW, Long.MIN_VALUE, sHigh),
                    between(prefix, Encoded.RANGE_POINT, sLow, sHigh));
        };
        return new Alternative(ranges, v -> {
            if (!Bytes.startsWith(v, prefix) || v.length <= prefix.length) {
                return false;
            }
            byte kind = v[prefix.length];
            if (kind == Encoded.RANGE_POINT) {
                if (v.length != prefix.length + 9) {
                    return false;
                }
                long point = Encoded.getLong(v, prefix.length + 1);
                return matches(op, sLow, sHigh, point, point);
            }
            if (v.length != prefix.length + 17) {
                return false;
            }
            long a = Encoded.getLong(v, prefix.length + 1);
            long b = Encoded.getLong(v, prefix.length + 9);
            if (kind == Encoded.RANGE_BY_LOW) {
                return matches(op, sLow, sHigh, a, b);
            }
            return kind == Encoded.RANGE_BY_HIGH && matches(op, sLow, sHigh, b, a);
        });
    }

    static boolean matches(Prefix op, long sLow, long sHigh, long tLow, long tHigh) {
        boolean contained = tLow >= sLow && tHigh <= sHigh;
        return switch (op) {
            case EQ -> contained;
            case NE -> !contained;
            case GT -> tHigh > sHigh;
            case LT -> tLow < sLow;
            case GE -> tHigh > sHigh || contained;
            case LE -> tLow < sLow || contained;
            case SA -> tLow > sHigh;
            case EB -> tHigh < sLow;
            case AP -> tLow <= sHigh && tHigh >= sLow;
        };
    }

    /** The entries of one kind whose first number is from {@code from} to {@code to}, both inclusive. */
    private static Alternative.VRange between(byte[] prefix, byte kind, long from, long to) {
        byte[] start = entry(prefix, kind, from);
        byte[] end = to == Long.MAX_VALUE ? Bytes.prefixEnd(kindPrefix(prefix, kind)) : entry(prefix, kind, to + 1);
        return new Alternative.VRange(start, end);
    }

    /** The first entry of a kind whose first number is {@code first}. */
    private static byte[] entry(byte[] prefix, byte kind, long first) {
        return kind == Encoded.RANGE_POINT ? Encoded.pointEntry(prefix, first)
                : Encoded.rangeEntry(prefix, kind, first, Long.MIN_VALUE);
    }

    private static Alternative.VRange all(byte[] prefix, byte kind) {
        return Alternative.VRange.prefix(kindPrefix(prefix, kind));
    }

    private static byte[] kindPrefix(byte[] prefix, byte kind) {
        byte[] p = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        p[prefix.length] = kind;
        return p;
    }
}
