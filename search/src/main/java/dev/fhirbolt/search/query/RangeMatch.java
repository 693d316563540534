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

    /** Values under {@code prefix} (for ap the caller passes the already widened range) (before the range kind byte) whose range satisfies the prefix. */
    public static Alternative of(byte[] prefix, Prefix op, long low, long high) {
        final long sLow = low;
        final long sHigh = high;
        List<Alternative.VRange> ranges = switch (op) {
            case EQ -> List.of(between(prefix, Encoded.RANGE_BY_LOW, sLow, sHigh));
            case NE -> List.of(all(prefix, Encoded.RANGE_BY_LOW));
            case GT -> List.of(between(prefix, Encoded.RANGE_BY_HIGH, sHigh + 1, Long.MAX_VALUE));
            case LT -> List.of(between(prefix, Encoded.RANGE_BY_LOW, Long.MIN_VALUE, sLow - 1));
            case GE -> List.of(between(prefix, Encoded.RANGE_BY_HIGH, sLow, Long.MAX_VALUE));
            case LE -> List.of(between(prefix, Encoded.RANGE_BY_LOW, Long.MIN_VALUE, sHigh));
            case SA -> List.of(between(prefix, Encoded.RANGE_BY_LOW, sHigh + 1, Long.MAX_VALUE));
            case EB -> List.of(between(prefix, Encoded.RANGE_BY_HIGH, Long.MIN_VALUE, sLow - 1));
            case AP -> List.of(between(prefix, Encoded.RANGE_BY_LOW, Long.MIN_VALUE, sHigh));
        };
        return new Alternative(ranges, v -> {
            if (v.length != prefix.length + 17 || !Bytes.startsWith(v, prefix)) {
                return false;
            }
            byte kind = v[prefix.length];
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

    private static Alternative.VRange between(byte[] prefix, byte kind, long from, long to) {
        byte[] start = Encoded.rangeEntry(prefix, kind, from, Long.MIN_VALUE);
        byte[] end = to == Long.MAX_VALUE ? Bytes.prefixEnd(kindPrefix(prefix, kind))
                : Encoded.rangeEntry(prefix, kind, to + 1, Long.MIN_VALUE);
        return new Alternative.VRange(start, end);
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
