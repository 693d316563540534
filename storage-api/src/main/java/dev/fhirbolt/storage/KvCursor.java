package dev.fhirbolt.storage;

/**
 * Walks the keys of one keyspace in either direction. The arrays returned by {@link #key()} and {@link #value()}
 * belong to the caller and stay valid after the cursor moves.
 */
public interface KvCursor extends AutoCloseable {

    /** Positions at the first key greater than or equal to {@code key}. */
    void seek(byte[] key);

    /** Positions at the last key less than or equal to {@code key}. */
    void seekForPrev(byte[] key);

    void seekToFirst();

    void seekToLast();

    boolean isValid();

    void next();

    void prev();

    byte[] key();

    byte[] value();

    @Override
    void close();
}
