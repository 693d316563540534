package dev.fhirbolt.search.index;

import java.nio.charset.StandardCharsets;

/**
 * Encoded values (V in the index keys). Each starts with a kind byte; strings end with a 0 byte so that a value is
 * never a prefix of a longer one unless asked for; ranges are two order-preserving 8-byte numbers.
 */
public final class Encoded {

    public static final byte STRING = 's';
    public static final byte CODE = 'C';
    public static final byte SYSTEM_CODE = 'S';
    public static final byte NO_SYSTEM_CODE = 'N';
    public static final byte SYSTEM_ONLY = 'Y';
    public static final byte TEXT = 'T';
    public static final byte OF_TYPE = 'O';
    public static final byte LOCAL_REF = 'R';
    public static final byte URL = 'U';
    public static final byte REF_IDENTIFIER = 'I';
    public static final byte REF_IDENTIFIER_VALUE = 'i';
    public static final byte RANGE_BY_LOW = 'L';
    public static final byte RANGE_BY_HIGH = 'H';
    /** A range whose ends are equal (a quantity, a number, an instant): one entry, {@code P value}. */
    public static final byte RANGE_POINT = 'P';
    public static final byte QUANTITY_SYSTEM_CODE = 'q';
    public static final byte QUANTITY_CODE = 'u';
    public static final byte QUANTITY_ANY = 'n';
    public static final byte QUANTITY_CANONICAL = 'k';
    public static final byte POSITION = 'G';
    /** A composite as one combination of component values (up to format 6). */
    public static final byte COMPOSITE = 'X';
    /** A composite as the values of each component on one element (format 7). */
    public static final byte COMPOSITE_PER_ELEMENT = 'x';

    private Encoded() {
    }

    /** kind, then each part followed by a 0 byte. */
    public static byte[] strings(byte kind, String... parts) {
        byte[][] encoded = new byte[parts.length][];
        int length = 1;
        for (int i = 0; i < parts.length; i++) {
            encoded[i] = parts[i].getBytes(StandardCharsets.UTF_8);
            length += encoded[i].length + 1;
        }
        byte[] out = new byte[length];
        out[0] = kind;
        int at = 1;
        for (byte[] part : encoded) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length + 1; // the array is zeroed: the terminator is there
        }
        return out;
    }

    /** The prefix every value starting with these parts shares (no terminator after the last part). */
    public static byte[] prefix(byte kind, String... parts) {
        byte[] full = strings(kind, parts);
        return java.util.Arrays.copyOf(full, full.length - 1);
    }

    /**
     * Two entries per range, one ordered by its low end and one by its high end; one for a point (low == high), which
     * both orders find (up to format 6 a point had two entries too).
     */
    public static byte[][] range(byte[] prefix, long low, long high) {
        if (low == high) {
            return new byte[][] {pointEntry(prefix, low)};
        }
        return new byte[][] {rangeEntry(prefix, RANGE_BY_LOW, low, high), rangeEntry(prefix, RANGE_BY_HIGH, high, low)};
    }

    public static byte[] pointEntry(byte[] prefix, long value) {
        byte[] out = new byte[prefix.length + 9];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        out[prefix.length] = RANGE_POINT;
        putLong(out, prefix.length + 1, value);
        return out;
    }

    /**
     * Where the kind byte of a range value is (L, H or P, after the unit of a quantity), or -1 when the value is not a
     * range: dates and numbers start with it, quantities have 0, 1 or 2 strings first ({@code n}, {@code u}/{@code k},
     * {@code q}).
     */
    public static int rangeKindAt(byte[] v) {
        int strings;
        switch (v[0]) {
            case RANGE_BY_LOW, RANGE_BY_HIGH, RANGE_POINT -> {
                return 0;
            }
            case QUANTITY_ANY -> strings = 0;
            case QUANTITY_CODE, QUANTITY_CANONICAL -> strings = 1;
            case QUANTITY_SYSTEM_CODE -> strings = 2;
            default -> {
                return -1;
            }
        }
        int at = 1;
        for (int i = 0; i < strings; i++) {
            while (at < v.length && v[at] != 0) {
                at++;
            }
            at++;
        }
        return at < v.length ? at : -1;
    }

    public static byte[] rangeEntry(byte[] prefix, byte kind, long first, long second) {
        byte[] out = new byte[prefix.length + 17];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        out[prefix.length] = kind;
        putLong(out, prefix.length + 1, first);
        putLong(out, prefix.length + 9, second);
        return out;
    }

    /** Big-endian with the sign bit flipped: unsigned byte order equals signed numeric order. */
    public static void putLong(byte[] b, int at, long v) {
        long x = v ^ Long.MIN_VALUE;
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) x;
            x >>>= 8;
        }
    }

    public static long getLong(byte[] b, int at) {
        long x = 0;
        for (int i = 0; i < 8; i++) {
            x = (x << 8) | (b[at + i] & 0xFF);
        }
        return x ^ Long.MIN_VALUE;
    }

    /** A long whose signed order equals the order of the doubles (NaN excluded). */
    public static long sortableDouble(double d) {
        long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
        return bits >= 0 ? bits : bits ^ Long.MAX_VALUE;
    }

    public static double fromSortableDouble(long s) {
        return Double.longBitsToDouble(s >= 0 ? s : s ^ Long.MAX_VALUE);
    }

    /** The strings of a value encoded with {@link #strings}. */
    public static String[] parts(byte[] v) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int start = 1;
        for (int i = 1; i < v.length; i++) {
            if (v[i] == 0) {
                out.add(new String(v, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out.toArray(String[]::new);
    }
}
