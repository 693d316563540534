package dev.fhirbolt.storage;

import java.util.Optional;

/** A consistent read-only view of the store as of the moment it was taken. Close it to release it. */
public interface KvSnapshot extends AutoCloseable {

    Optional<byte[]> get(Keyspace keyspace, byte[] key);

    /** A cursor over one keyspace of this snapshot, positioned nowhere until sought. */
    KvCursor cursor(Keyspace keyspace);

    @Override
    void close();
}
