package dev.fhirbolt.search.index;

import dev.fhirbolt.storage.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds and takes apart the keys of search-value, search-resource and search-compartment. */
public final class IndexKeys {

    private IndexKeys() {
    }

    /** search-value: code 0 type 0 V id idLength. */
    public static byte[] valueKey(String code, String type, byte[] v, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] head = Bytes.key(code, type);
        byte[] key = new byte[head.length + v.length + idBytes.length + 1];
        System.arraycopy(head, 0, key, 0, head.length);
        System.arraycopy(v, 0, key, head.length, v.length);
        System.arraycopy(idBytes, 0, key, head.length + v.length, idBytes.length);
        key[key.length - 1] = (byte) idBytes.length;
        return key;
    }

    public static byte[] valuePrefix(String code, String type) {
        return Bytes.key(code, type);
    }

    public static String idOfValueKey(byte[] key) {
        int len = key[key.length - 1] & 0xFF;
        return new String(key, key.length - 1 - len, len, StandardCharsets.UTF_8);
    }

    /** V of a search-value key whose code-and-type prefix has {@code prefixLength} bytes. */
    public static byte[] valueOfValueKey(byte[] key, int prefixLength) {
        int len = key[key.length - 1] & 0xFF;
        return Arrays.copyOfRange(key, prefixLength, key.length - 1 - len);
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
