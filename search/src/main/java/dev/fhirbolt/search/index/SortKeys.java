package dev.fhirbolt.search.index;

import dev.fhirbolt.search.param.ParamType;
import java.util.Arrays;
import java.util.List;

/**
 * The value a resource sorts by on one parameter: the lowest for ascending order, the highest for descending. Strings
 * sort by their normalized form, tokens by code, dates and numbers by the ends of their ranges.
 */
public final class SortKeys {

    public static final byte ASCENDING = '<';
    public static final byte DESCENDING = '>';

    private SortKeys() {
    }

    /**
     * {ascending, descending} keys, or null when the values give none. The kind byte of a value alone says whether
     * and how it sorts (each kind belongs to one parameter type), so the keys follow from a resource's values without
     * knowing the parameter: a search reads them from the search-resource record, and an update finds the search-sort
     * entries to remove.
     */
    public static byte[][] of(List<byte[]> values) {
        byte[] low = null;
        byte[] high = null;
        for (byte[] v : values) {
            byte[][] candidate = candidate(v);
            if (candidate == null) {
                continue;
            }
            if (low == null || Arrays.compareUnsigned(candidate[0], low) < 0) {
                low = candidate[0];
            }
            if (high == null || Arrays.compareUnsigned(candidate[1], high) > 0) {
                high = candidate[1];
            }
        }
        return low == null ? null : new byte[][] {low, high};
    }

    /**
     * The {ascending, descending} keys that search-sort holds, or null. Only strings, dates, numbers and quantities
     * (and so _lastUpdated) are kept there: those are what apps page through in sorted order over many resources.
     * Tokens, references and URIs (and _id) still have sort keys ({@link #of}), but a _sort on them reads the order
     * from their search-value entries (tokens, URIs, _id) or sorts the matches in memory (references): writing two
     * keys per parameter for them cost a fifth of all index keys and of the ingest work that grows with the keys.
     */
    public static byte[][] indexed(List<byte[]> values) {
        for (byte[] v : values) {
            byte kind = v[0];
            if (kind == Encoded.STRING || kind == Encoded.RANGE_BY_LOW || kind == Encoded.RANGE_POINT
                    || kind == Encoded.QUANTITY_ANY) {
                return of(values);
            }
        }
        return null;
    }

    /**
     * Whether the values of a parameter of this type have sort keys that search-sort does not hold ({@link #indexed}):
     * tokens, references and URIs. Composite and special parameters have no sort keys at all.
     */
    public static boolean notIndexed(ParamType type) {
        return type == ParamType.TOKEN || type == ParamType.REFERENCE || type == ParamType.URI;
    }

    /** The key a resource sorts by on _id (either direction): that of its one _id value. */
    public static byte[] ofId(String id) {
        return of(List.of(Encoded.strings(Encoded.CODE, id)))[0];
    }

    /** Strings by their normalized form, tokens by code, references and URIs as they are, ranges by their ends. */
    private static byte[][] candidate(byte[] v) {
        switch (v[0]) {
            case Encoded.STRING -> {
                byte[] k = Arrays.copyOfRange(v, 1, indexOfZero(v, 1) + 1);
                return new byte[][] {k, k};
            }
            case Encoded.CODE, Encoded.LOCAL_REF, Encoded.URL -> {
                byte[] k = Arrays.copyOfRange(v, 1, v.length);
                return new byte[][] {k, k};
            }
            case Encoded.RANGE_BY_LOW, Encoded.RANGE_POINT -> {
                return rangeEnds(v, 0);
            }
            case Encoded.QUANTITY_ANY -> {
                return rangeEnds(v, 1);
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * The {low, high} ends of the range whose kind byte is at {@code at}: of an L entry and of a P entry (a point,
     * both ends the same) alike, so a resource written in either format sorts the same; null for an H entry.
     */
    private static byte[][] rangeEnds(byte[] v, int at) {
        if (v[at] == Encoded.RANGE_BY_LOW) {
            return new byte[][] {Arrays.copyOfRange(v, at + 1, at + 9), Arrays.copyOfRange(v, at + 9, at + 17)};
        }
        if (v[at] == Encoded.RANGE_POINT) {
            byte[] point = Arrays.copyOfRange(v, at + 1, at + 9);
            return new byte[][] {point, point};
        }
        return null;
    }

    private static int indexOfZero(byte[] v, int from) {
        for (int i = from; i < v.length; i++) {
            if (v[i] == 0) {
                return i;
            }
        }
        return v.length - 1;
    }
}
