package dev.fhirbolt.storage.rocksdb;

import dev.fhirbolt.storage.Bytes;
import java.util.Arrays;

/**
 * Builds a RocksDB write batch in its serialized form ("rep", as {@code WriteBatch.data()} returns it) in Java, to
 * hand over in one JNI call ({@code new WriteBatch(byte[])}) instead of one call per put: a Synthea load puts over a
 * hundred index entries per resource, and the per-put JNI calls were a quarter of the commit thread's time.
 *
 * <p>Layout (RocksDB's write_batch.cc): an 8-byte little-endian sequence number (0, assigned by the write), a 4-byte
 * little-endian record count, then per record a tag byte, the column family id as varint32 unless it is the default
 * family, the key as varint32 length + bytes and, for a put, the value the same way. Tags: put 0x1 and delete 0x0 in
 * the default family, 0x5 and 0x4 in another one. {@code WriteBatchRepTest} checks the bytes against RocksDB's own.
 */
final class WriteBatchRep {

    private static final int HEADER = 12;
    private static final byte PUT = 0x1;
    private static final byte DELETE = 0x0;
    private static final byte CF_PUT = 0x5;
    private static final byte CF_DELETE = 0x4;

    private byte[] buf;
    private int size = HEADER;
    private int count;

    /** {@code capacity}: the exact size ({@link #recordSize} of every record plus 12) avoids any copying. */
    WriteBatchRep(int capacity) {
        buf = new byte[Math.max(HEADER, capacity)];
    }

    /** The serialized size of one record; a null value is a delete. */
    static long recordSize(int columnFamily, byte[] key, byte[] value) {
        long size = 1 + (columnFamily == 0 ? 0 : Bytes.varintSize(columnFamily)) + Bytes.varintSize(key.length) + key.length;
        return value == null ? size : size + Bytes.varintSize(value.length) + value.length;
    }

    void put(int columnFamily, byte[] key, byte[] value) {
        ensure(recordSize(columnFamily, key, value));
        tag(columnFamily, PUT, CF_PUT);
        bytes(key);
        bytes(value);
        count++;
    }

    void delete(int columnFamily, byte[] key) {
        ensure(recordSize(columnFamily, key, null));
        tag(columnFamily, DELETE, CF_DELETE);
        bytes(key);
        count++;
    }

    int count() {
        return count;
    }

    /** The serialized batch (sequence 0, the record count filled in). */
    byte[] toByteArray() {
        byte[] out = size == buf.length ? buf : Arrays.copyOf(buf, size);
        Arrays.fill(out, 0, 8, (byte) 0);
        out[8] = (byte) count;
        out[9] = (byte) (count >>> 8);
        out[10] = (byte) (count >>> 16);
        out[11] = (byte) (count >>> 24);
        return out;
    }

    private void tag(int columnFamily, byte defaultTag, byte cfTag) {
        if (columnFamily == 0) {
            buf[size++] = defaultTag;
        } else {
            buf[size++] = cfTag;
            varint(columnFamily);
        }
    }

    private void bytes(byte[] b) {
        varint(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    private void varint(int v) {
        while ((v & ~0x7F) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** Grows by exact record sizes, so a rep sized up front is never copied. */
    private void ensure(long more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.toIntExact(Math.max(buf.length * 2L, size + more)));
        }
    }
}
