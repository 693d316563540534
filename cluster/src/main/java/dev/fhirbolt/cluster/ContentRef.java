package dev.fhirbolt.cluster;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Where a resource version's contents are in the content store: the key of the log command that carried them (the
 * SHA-256 of its bytes) and the index of the write inside it. A node's store keeps this instead of the JSON.
 *
 * <pre>
 * keyLength:1 key index:4
 * </pre>
 */
record ContentRef(Key command, int index) {

    /** A content store key, compared by its bytes. */
    record Key(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return java.util.HexFormat.of().formatHex(bytes);
        }
    }

    ContentRef(byte[] command, int index) {
        this(new Key(command), index);
    }

    byte[] encode() {
        byte[] key = command.bytes();
        return ByteBuffer.allocate(1 + key.length + 4).put((byte) key.length).put(key).putInt(index).array();
    }

    static ContentRef decode(byte[] reference) {
        ByteBuffer b = ByteBuffer.wrap(reference);
        int length = b.get() & 0xff;
        if (reference.length != 1 + length + 4) {
            throw new IllegalStateException("a content reference of " + reference.length + " bytes is not one");
        }
        byte[] key = new byte[length];
        b.get(key);
        return new ContentRef(key, b.getInt());
    }
}
