package dev.fhirbolt.search.index;

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
            case Encoded.RANGE_BY_LOW -> {
                return new byte[][] {Arrays.copyOfRange(v, 1, 9), Arrays.copyOfRange(v, 9, 17)};
            }
            case Encoded.QUANTITY_ANY -> {
                if (v[1] == Encoded.RANGE_BY_LOW) {
                    return new byte[][] {Arrays.copyOfRange(v, 2, 10), Arrays.copyOfRange(v, 10, 18)};
                }
                return null;
            }
            default -> {
                return null;
            }
        }
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
