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
     * Bumped whenever the layout of the index entries, or what gets indexed, changes; existing data is then
     * reindexed. 3: compartment markers in search-resource, no list of a resource's entries kept elsewhere.
     * 4: quantities of multi-component Observations (component-value-quantity, combo-value-quantity) are indexed.
     * 5: search-patient, the code and category values of a resource scoped to the patient it references;
     * search-code-date, system-qualified codes paired with dates.
     * 6: search-resource holds one record per resource, {@code type 0 id 0} -> every (code, V) pair packed
     * ({@link ValueRecord}), instead of one entry per pair, {@code type 0 id 0 code 0 V} ({@link ValueRecords} still
     * reads those for resources not upgraded yet); search-sort only for strings, dates, numbers, quantities and
     * _lastUpdated ({@link SortKeys#indexed}): a _sort on a token, reference, URI or _id no longer reads search-sort,
     * and the upgrade removes those keys.
     * 7: the unions of other parameters (Observation's combo-*, {@link UnionParams}) get no entries of their own;
     * searches on them read their parts' entries, which hold the same values also in format 6, so nothing waits for
     * the upgrade (the reindex of each resource removes its old combo entries). A point (a range whose ends are
     * equal: every quantity and number, an instant such as _lastUpdated) is one entry {@code P value} instead of an L
     * and an H entry; readers find both forms ({@code RangeMatch} scans the P entries next to the L or H ones), so
     * format-6 points answer during the upgrade too. A token's system alone ({@code Y system}) only for codings
     * without a code: {@code system|} reads the prefix of the system's {@code S} entries as well, which finds the
     * codings of format 6 too. _id only as a code ({@code C id}, no {@code N id}: an id never has a system). A
     * composite is one value per element holding each component's values ({@code x}), not one per combination of
     * them ({@code X}, which composite matching still reads).
     */
    public static final int FORMAT = 7;

    /**
     * The code under which a resource's search-resource record lists the compartments the resource is in (values
     * {@code R compartmentType/compartmentId}), so that its search-compartment entries can be found from the
     * resource (no search parameter has an empty code).
     */
    public static final String COMPARTMENTS = "";

    private IndexKeys() {
    }

    /** search-value: code 0 type 0 V id 0 idLength. */
    public static byte[] valueKey(String code, String type, byte[] v, String id) {
        return valueKey(Bytes.utf8(code), Bytes.utf8(type), v, Bytes.utf8(id));
    }

    /** search-value from UTF-8 parts, for the indexer that builds many keys of one resource. */
    static byte[] valueKey(byte[] code, byte[] type, byte[] v, byte[] id) {
        byte[] key = new byte[code.length + type.length + v.length + id.length + 4];
        int at = put(key, 0, code);
        at = put(key, at + 1, type);
        at = put(key, at + 1, v);
        put(key, at, id);
        key[key.length - 1] = (byte) id.length;
        return key;
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

    /** search-resource: type 0 id 0, the key of a resource's {@link ValueRecord}. */
    public static byte[] resourceKey(String type, String id) {
        return Bytes.key(type, id);
    }

    /** search-resource from UTF-8 parts. */
    static byte[] resourceKey(byte[] type, byte[] id) {
        byte[] key = new byte[type.length + id.length + 2];
        put(key, put(key, 0, type) + 1, id);
        return key;
    }

    private static int put(byte[] key, int at, byte[] part) {
        System.arraycopy(part, 0, key, at, part.length);
        return at + part.length;
    }

    /** search-compartment: compartmentType 0 compartmentId 0 type 0 id 0. */
    public static byte[] compartmentKey(String compartmentType, String compartmentId, String type, String id) {
        return Bytes.key(compartmentType, compartmentId, type, id);
    }

    /** search-patient: patientRef 0 type 0 code 0 V id 0 idLength (patientRef as in R values: Patient/123). */
    static byte[] patientKey(byte[] patientRef, byte[] type, byte[] code, byte[] v, byte[] id) {
        byte[] key = new byte[patientRef.length + type.length + code.length + v.length + id.length + 5];
        int at = put(key, 0, patientRef);
        at = put(key, at + 1, type);
        at = put(key, at + 1, code);
        at = put(key, at + 1, v);
        put(key, at, id);
        key[key.length - 1] = (byte) id.length;
        return key;
    }

    /** The search-patient keys of one patient, type, code and value: {@code patientRef 0 type 0 code 0 V}. */
    public static byte[] patientPrefix(String patientRef, String type, String code, byte[] v) {
        byte[] head = Bytes.key(patientRef, type, code);
        byte[] prefix = Arrays.copyOf(head, head.length + v.length);
        System.arraycopy(v, 0, prefix, head.length, v.length);
        return prefix;
    }

    /** search-code-date: type 0 code 0 V D id 0 idLength, D a date value (L or H range entry). */
    static byte[] codeDateKey(byte[] type, byte[] code, byte[] v, byte[] date, byte[] id) {
        byte[] key = new byte[type.length + code.length + v.length + date.length + id.length + 4];
        int at = put(key, 0, type);
        at = put(key, at + 1, code);
        at = put(key, at + 1, v);
        at = put(key, at, date);
        put(key, at, id);
        key[key.length - 1] = (byte) id.length;
        return key;
    }

    /** The search-code-date keys of one type and code value: {@code type 0 code 0 V}. */
    public static byte[] codeDatePrefix(String type, String code, byte[] v) {
        byte[] head = Bytes.key(type, code);
        byte[] prefix = Arrays.copyOf(head, head.length + v.length);
        System.arraycopy(v, 0, prefix, head.length, v.length);
        return prefix;
    }

    /**
     * search-sort: type 0 code 0 dir sortKey' id 0 idLength, where sortKey' is the sort key for {@code <} and its
     * bitwise complement for {@code >}, so that a forward scan of either direction meets the keys in the order the
     * results want and equal keys in id order. Sort keys never are a prefix of one another, which keeps the
     * complement order-reversing.
     */
    public static byte[] sortKey(String type, String code, byte dir, byte[] sortKey, String id) {
        return sortKey(Bytes.utf8(type), Bytes.utf8(code), dir, sortKey, Bytes.utf8(id));
    }

    /** search-sort from UTF-8 parts. */
    static byte[] sortKey(byte[] type, byte[] code, byte dir, byte[] sortKey, byte[] id) {
        byte[] key = new byte[type.length + code.length + 3 + sortKey.length + id.length + 2];
        int at = put(key, 0, type);
        at = put(key, at + 1, code);
        key[at + 1] = dir;
        at += 2;
        for (byte b : sortKey) {
            key[at++] = dir == SortKeys.DESCENDING ? (byte) ~b : b;
        }
        put(key, at, id);
        key[key.length - 1] = (byte) id.length;
        return key;
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
}
