package dev.fhirbolt.search.query;

import java.util.List;
import java.util.function.Predicate;

/**
 * One value of an OR list, ready to run: the ranges of encoded values (V) to scan in search-value, and the exact test
 * an encoded value must pass (the ranges may be wider than the test, never narrower).
 */
public record Alternative(List<VRange> ranges, Predicate<byte[]> test, List<byte[]> exact) {

    /** An alternative that is not a list of exact values. */
    public Alternative(List<VRange> ranges, Predicate<byte[]> test) {
        this(ranges, test, null);
    }

    /** Whether the alternative is a short list of whole values, each of whose resources come in id order. */
    public boolean isExact() {
        return exact != null;
    }

    /** Encoded values from {@code from} (inclusive) to {@code to} (exclusive; null for no bound). */
    public record VRange(byte[] from, byte[] to) {

        public static VRange prefix(byte[] prefix) {
            return new VRange(prefix, dev.fhirbolt.storage.Bytes.prefixEnd(prefix));
        }
    }

    public static Alternative exact(byte[] v) {
        return new Alternative(List.of(VRange.prefix(v)), x -> java.util.Arrays.equals(x, v), List.of(v));
    }

    /** Any of the given whole values. */
    public static Alternative anyOf(List<byte[]> values) {
        List<VRange> ranges = new java.util.ArrayList<>(values.size());
        java.util.Set<java.nio.ByteBuffer> set = new java.util.HashSet<>();
        for (byte[] v : values) {
            ranges.add(VRange.prefix(v));
            set.add(java.nio.ByteBuffer.wrap(v));
        }
        return new Alternative(ranges, x -> set.contains(java.nio.ByteBuffer.wrap(x)), List.copyOf(values));
    }

    public static Alternative startsWith(byte[] prefix) {
        return new Alternative(List.of(VRange.prefix(prefix)), x -> dev.fhirbolt.storage.Bytes.startsWith(x, prefix));
    }
}
