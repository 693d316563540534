package dev.fhirbolt.contentstore.cassandra;

import com.datastax.oss.driver.api.core.cql.Row;
import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Puts a value together from the rows of its partition, in clustering (chunk) order. No header means no value (a
 * put under way or failed); a header whose chunks are not all there is never returned as a value.
 */
final class ChunkAssembly {

    private byte[] value;
    private boolean headerMissing;
    private int chunks;
    private int expectedChunk;
    private int filled;

    void add(Row row) {
        if (headerMissing) {
            return;
        }
        if (value == null) {
            if (row.isNull("chunks")) {
                headerMissing = true;
                return;
            }
            chunks = row.getInt("chunks");
            long size = row.getLong("size");
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a stored value of " + size + " bytes does not fit an array");
            }
            value = new byte[(int) size];
        }
        if (row.isNull("chunk")) {
            return; // the header alone: a partition without chunk rows
        }
        int chunk = row.getInt("chunk");
        ByteBuffer data = row.getByteBuffer("data");
        int length = data == null ? 0 : data.remaining();
        if (chunk != expectedChunk || filled + length > value.length) {
            throw incomplete();
        }
        if (length > 0) {
            data.duplicate().get(value, filled, length);
        }
        filled += length;
        expectedChunk++;
    }

    boolean absent() {
        return headerMissing;
    }

    Optional<byte[]> value() {
        if (headerMissing || value == null) {
            return Optional.empty();
        }
        if (expectedChunk != chunks || filled != value.length) {
            throw incomplete();
        }
        return Optional.of(value);
    }

    private static ContentStoreUnavailableException incomplete() {
        return new ContentStoreUnavailableException(
                "Cassandra returned part of a value (replicas out of step, or a read below the write consistency)", null);
    }
}
