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

    /** {ascending, descending} keys, or null when the values give none. */
    public static byte[][] of(ParamType type, List<byte[]> values) {
        byte[] low = null;
        byte[] high = null;
        for (byte[] v : values) {
            byte[][] candidate = candidate(type, v);
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

    private static byte[][] candidate(ParamType type, byte[] v) {
        switch (type) {
            case STRING -> {
                if (v[0] == Encoded.STRING) {
                    byte[] k = Arrays.copyOfRange(v, 1, indexOfZero(v, 1) + 1);
                    return new byte[][] {k, k};
                }
            }
            case TOKEN -> {
                if (v[0] == Encoded.CODE) {
                    byte[] k = Arrays.copyOfRange(v, 1, v.length);
                    return new byte[][] {k, k};
                }
            }
            case REFERENCE, URI -> {
                if (v[0] == Encoded.LOCAL_REF || v[0] == Encoded.URL) {
                    byte[] k = Arrays.copyOfRange(v, 1, v.length);
                    return new byte[][] {k, k};
                }
            }
            case DATE, NUMBER -> {
                if (v[0] == Encoded.RANGE_BY_LOW) {
                    return new byte[][] {Arrays.copyOfRange(v, 1, 9), Arrays.copyOfRange(v, 9, 17)};
                }
            }
            case QUANTITY -> {
                if (v[0] == Encoded.QUANTITY_ANY && v[1] == Encoded.RANGE_BY_LOW) {
                    return new byte[][] {Arrays.copyOfRange(v, 2, 10), Arrays.copyOfRange(v, 10, 18)};
                }
            }
            default -> {
            }
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
