package dev.fhirbolt.terminology;

import dev.fhirbolt.storage.Keyspace;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The key layout of an uploaded code system's index in the {@value #NAME} keyspace (see storage-layout.md). Every
 * key starts with the upload id (16 bytes) and a kind byte:
 * <ul>
 * <li>{@code n}: the index is complete; value: the number of concepts (4 bytes), written last</li>
 * <li>{@code c} code: value the ordinal (4 bytes); {@code f} lower-cased code (codes that have capitals): the same</li>
 * <li>{@code w} word 0x00 chunk: the ordinals (4 bytes each) of the concepts of one chunk of {@value #CHUNK}
 * concepts (in the order they were added; the chunk's number is the key's last 4 bytes) whose code or display has the
 * word; the words starting with a prefix are one range</li>
 * <li>{@code i} ordinal: the concept is inactive (no value)</li>
 * <li>{@code p} child parent and {@code k} parent child: the is-a hierarchy, one edge per key each way</li>
 * <li>{@code r} ordinal: while the index is built, the {@code parent}/{@code child} property codes a concept names</li>
 * <li>{@code u}: the upload's marker ({@link UploadMarker}): when its writer started and last wrote</li>
 * </ul>
 */
final class IndexKeys {

    static final String NAME = "terminology-index";
    static final Keyspace INDEX = new Keyspace(NAME);
    static final int CHUNK = 8192;
    static final byte COMPLETE = 'n';
    static final byte CODE = 'c';
    static final byte FOLDED = 'f';
    static final byte WORD = 'w';
    static final byte INACTIVE = 'i';
    static final byte PARENT = 'p';
    static final byte CHILD = 'k';
    static final byte REFS = 'r';
    static final byte MARKER = 'u';

    private IndexKeys() {
    }

    static byte[] kind(byte[] upload, byte kind) {
        return ByteBuffer.allocate(upload.length + 1).put(upload).put(kind).array();
    }

    static byte[] text(byte[] upload, byte kind, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(upload.length + 1 + t.length).put(upload).put(kind).put(t).array();
    }

    static byte[] word(byte[] upload, String word, int chunk) {
        byte[] t = word.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(upload.length + 2 + t.length + 4).put(upload).put(WORD).put(t).put((byte) 0)
                .putInt(chunk).array();
    }

    static byte[] ordinal(byte[] upload, byte kind, int ordinal) {
        return ByteBuffer.allocate(upload.length + 5).put(upload).put(kind).putInt(ordinal).array();
    }

    static byte[] edge(byte[] upload, byte kind, int from, int to) {
        return ByteBuffer.allocate(upload.length + 9).put(upload).put(kind).putInt(from).putInt(to).array();
    }

    /** The last 4 bytes of a key, as an int (the far end of an edge). */
    static int lastInt(byte[] key) {
        return ByteBuffer.wrap(key, key.length - 4, 4).getInt();
    }

    static byte[] intValue(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static int readInt(byte[] v) {
        return ByteBuffer.wrap(v).getInt();
    }
}
