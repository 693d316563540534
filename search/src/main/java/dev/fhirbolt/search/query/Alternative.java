package dev.fhirbolt.search.query;

import java.util.List;
import java.util.function.Predicate;

/**
 * One value of an OR list, ready to run: the ranges of encoded values (V) to scan in search-value, and the exact test
 * an encoded value must pass (the ranges may be wider than the test, never narrower).
 */
public record Alternative(List<VRange> ranges, Predicate<byte[]> test) {

    /** Encoded values from {@code from} (inclusive) to {@code to} (exclusive; null for no bound). */
    public record VRange(byte[] from, byte[] to) {

        public static VRange prefix(byte[] prefix) {
            return new VRange(prefix, dev.fhirbolt.storage.Bytes.prefixEnd(prefix));
        }
    }

    public static Alternative exact(byte[] v) {
        return new Alternative(List.of(VRange.prefix(v)), x -> java.util.Arrays.equals(x, v));
    }

    public static Alternative startsWith(byte[] prefix) {
        return new Alternative(List.of(VRange.prefix(prefix)), x -> dev.fhirbolt.storage.Bytes.startsWith(x, prefix));
    }
}
