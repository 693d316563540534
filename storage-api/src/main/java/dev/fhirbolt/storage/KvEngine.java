package dev.fhirbolt.storage;

import java.util.Collection;

/** Opens a {@link KvStore}; one implementation per engine, chosen by the composition root. */
public interface KvEngine {

    /** A short name used in configuration, e.g. {@code rocksdb}. */
    String name();

    /** Opens (creating when absent) the store with at least the given keyspaces. */
    KvStore open(Collection<Keyspace> keyspaces);
}
