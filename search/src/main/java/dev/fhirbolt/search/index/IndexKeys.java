package dev.fhirbolt.search.index;

import dev.fhirbolt.storage.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds and takes apart the keys of search-value, search-resource, search-compartment and search-sort.
 *
 * <p>Where a key ends with an id it is {@code id 0 idLength}: the 0 makes the ids of one value (or of one sort key)
 * come in plain byte order of the id, the same order as resource-current and search-compartment, so id-ordered
 * streams from any of them merge and intersect; the length finds the id from the end of the key.
 */
public final class IndexKeys {

    /**
     * Bumped whenever the layout of an index key, or what gets indexed, changes; existing data is then reindexed.
     * 3: quantities of multi-component Observations (component-value-quantity, combo-value-quantity) are indexed.
     */
    public static final int FORMAT = 3;

    private IndexKeys() {
    }

    /** search-value: code 0 type 0 V id 0 idLength. */
    public static byte[] valueKey(String code, String type, byte[] v, String id) {
        return withId(Bytes.key(code, type), v, id);
    }

    public static byte[] valuePrefix(String code, String type) {
        return Bytes.key(code, type);
    }

    /** The id at the end of a search-value or search-sort key. */
    public static String idOfValueKey(byte[] key) {
        int len = key[key.length - 1] & 0xFF;
        return new String(key, key.length - 2 - len, len, StandardCharsets.UTF_8);
    }

    /** V of a search-value key whose code-and-type prefix has {@code prefixLength} bytes. */
    public static byte[] valueOfValueKey(byte[] key, int prefixLength) {
        int len = key[key.length - 1] & 0xFF;
        return Arrays.copyOfRange(key, prefixLength, key.length - 2 - len);
    }

    /** The length of the {@code id 0 idLength} tail of a search-value or search-sort key. */
    public static int idTailLength(byte[] key) {
        return (key[key.length - 1] & 0xFF) + 2;
    }

    /** search-resource: type 0 id 0 code 0 V. */
    public static byte[] resourceKey(String type, String id, String code, byte[] v) {
        byte[] head = Bytes.key(type, id, code);
        byte[] key = Arrays.copyOf(head, head.length + v.length);
        System.arraycopy(v, 0, key, head.length, v.length);
        return key;
    }

    public static byte[] resourcePrefix(String type, String id, String code) {
        return Bytes.key(type, id, code);
    }

    /** search-compartment: compartmentType 0 compartmentId 0 type 0 id 0. */
    public static byte[] compartmentKey(String compartmentType, String compartmentId, String type, String id) {
        return Bytes.key(compartmentType, compartmentId, type, id);
    }

    /**
     * search-sort: type 0 code 0 dir sortKey' id 0 idLength, where sortKey' is the sort key for {@code <} and its
     * bitwise complement for {@code >}, so that a forward scan of either direction meets the keys in the order the
     * results want and equal keys in id order. Sort keys never are a prefix of one another, which keeps the
     * complement order-reversing.
     */
    public static byte[] sortKey(String type, String code, byte dir, byte[] sortKey, String id) {
        return withId(sortPrefix(type, code, dir), dir == SortKeys.DESCENDING ? invert(sortKey) : sortKey, id);
    }

    public static byte[] sortPrefix(String type, String code, byte dir) {
        byte[] head = Bytes.key(type, code);
        byte[] prefix = Arrays.copyOf(head, head.length + 1);
        prefix[head.length] = dir;
        return prefix;
    }

    /** The (uninverted) sort key of a search-sort key whose prefix has {@code prefixLength} bytes. */
    public static byte[] sortValueOfSortKey(byte[] key, int prefixLength, byte dir) {
        byte[] stored = valueOfValueKey(key, prefixLength);
        return dir == SortKeys.DESCENDING ? invert(stored) : stored;
    }

    public static byte[] invert(byte[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) ~b[i];
        }
        return out;
    }

    /** The last 0-terminated string of a key. */
    public static String lastString(byte[] key) {
        int end = key.length - 1;
        int start = end - 1;
        while (start >= 0 && key[start] != 0) {
            start--;
        }
        return new String(key, start + 1, end - start - 1, StandardCharsets.UTF_8);
    }

    private static byte[] withId(byte[] head, byte[] v, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[head.length + v.length + idBytes.length + 2];
        System.arraycopy(head, 0, key, 0, head.length);
        System.arraycopy(v, 0, key, head.length, v.length);
        System.arraycopy(idBytes, 0, key, head.length + v.length, idBytes.length);
        key[key.length - 2] = 0;
        key[key.length - 1] = (byte) idBytes.length;
        return key;
    }
}
