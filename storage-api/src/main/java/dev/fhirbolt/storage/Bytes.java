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

    /** How many bytes {@code n} takes as an unsigned LEB128 varint (RocksDB's varint32): one per 7 bits. */
    public static int varintSize(int n) {
        int size = 1;
        while ((n & ~0x7F) != 0) {
            n >>>= 7;
            size++;
        }
        return size;
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
        byte[][] encoded = new byte[parts.length][];
        int size = 0;
        for (int i = 0; i < parts.length; i++) {
            encoded[i] = switch (parts[i]) {
                case String s -> utf8(s);
                case byte[] b -> b;
                case Long l -> sortableLong(l);
                default -> throw new IllegalArgumentException("unsupported key part " + parts[i]);
            };
            size += encoded[i].length + (parts[i] instanceof String ? 1 : 0);
        }
        byte[] key = new byte[size];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(encoded[i], 0, key, at, encoded[i].length);
            at += encoded[i].length;
            if (parts[i] instanceof String) {
                key[at++] = SEPARATOR;
            }
        }
        return key;
    }
}
