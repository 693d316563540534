package dev.fhirbolt.search.index;

import java.io.ByteArrayOutputStream;
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
    public static final byte QUANTITY_SYSTEM_CODE = 'q';
    public static final byte QUANTITY_CODE = 'u';
    public static final byte QUANTITY_ANY = 'n';
    public static final byte QUANTITY_CANONICAL = 'k';
    public static final byte POSITION = 'G';
    public static final byte COMPOSITE = 'X';

    private Encoded() {
    }

    /** kind, then each part followed by a 0 byte. */
    public static byte[] strings(byte kind, String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        out.write(kind);
        for (String part : parts) {
            out.writeBytes(part.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The prefix every value starting with these parts shares (no terminator after the last part). */
    public static byte[] prefix(byte kind, String... parts) {
        byte[] full = strings(kind, parts);
        return java.util.Arrays.copyOf(full, full.length - 1);
    }

    /** Two entries per range, one ordered by its low end and one by its high end. */
    public static byte[][] range(byte[] prefix, long low, long high) {
        return new byte[][] {rangeEntry(prefix, RANGE_BY_LOW, low, high), rangeEntry(prefix, RANGE_BY_HIGH, high, low)};
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
