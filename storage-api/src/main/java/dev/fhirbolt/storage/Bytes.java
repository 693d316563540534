package dev.fhirbolt.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Order-preserving key encodings shared by every layout built on the SPI. */
public final class Bytes {

    public static final byte SEPARATOR = 0;

    private Bytes() {
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String utf8(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /** Big-endian with the sign bit flipped, so that unsigned byte order equals numeric order. */
    public static byte[] sortableLong(long v) {
        long x = v ^ Long.MIN_VALUE;
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) x;
            x >>>= 8;
        }
        return b;
    }

    public static long readSortableLong(byte[] b, int offset) {
        long x = 0;
        for (int i = 0; i < 8; i++) {
            x = (x << 8) | (b[offset + i] & 0xFF);
        }
        return x ^ Long.MIN_VALUE;
    }

    public static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The smallest key greater than every key that starts with {@code prefix}; null when there is none. */
    public static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    /** Concatenates parts; string parts are UTF-8 and followed by a separator byte. */
    public static byte[] key(Object... parts) {
        var out = new java.io.ByteArrayOutputStream(64);
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(utf8(s));
                out.write(SEPARATOR);
            } else if (part instanceof byte[] b) {
                out.writeBytes(b);
            } else if (part instanceof Long l) {
                out.writeBytes(sortableLong(l));
            } else {
                throw new IllegalArgumentException("unsupported key part " + part);
            }
        }
        return out.toByteArray();
    }
}
