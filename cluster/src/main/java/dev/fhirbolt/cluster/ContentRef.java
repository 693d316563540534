package dev.fhirbolt.cluster;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Where a resource version's contents are in the content store: the key of the value that carried them (the SHA-256
 * of its bytes), the command inside it ({@code member}: a value holds one command, or a group of commands put
 * together, see {@link ContentGroups}) and the index of the write inside that command. A node's store keeps this
 * instead of the JSON. Member 0 is encoded without the member, as before groups existed, so older references still
 * name what they named.
 *
 * <pre>
 * keyLength:1 key index:4 [member:2]
 * </pre>
 */
record ContentRef(Key command, int member, int index) {

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

    ContentRef {
        if (member < 0 || member > 0xffff) {
            throw new IllegalArgumentException("a content reference's member is 0 to 65535, not " + member);
        }
    }

    ContentRef(byte[] command, int index) {
        this(new Key(command), 0, index);
    }

    ContentRef(byte[] command, int member, int index) {
        this(new Key(command), member, index);
    }

    byte[] encode() {
        byte[] key = command.bytes();
        ByteBuffer b = ByteBuffer.allocate(1 + key.length + 4 + (member == 0 ? 0 : 2))
                .put((byte) key.length).put(key).putInt(index);
        if (member != 0) {
            b.putShort((short) member);
        }
        return b.array();
    }

    static ContentRef decode(byte[] reference) {
        ByteBuffer b = ByteBuffer.wrap(reference);
        int length = b.get() & 0xff;
        boolean plain = reference.length == 1 + length + 4;
        if (!plain && reference.length != 1 + length + 6) {
            throw new IllegalStateException("a content reference of " + reference.length + " bytes is not one");
        }
        byte[] key = new byte[length];
        b.get(key);
        int index = b.getInt();
        return new ContentRef(key, plain ? 0 : b.getShort() & 0xffff, index);
    }
}
