package dev.fhirbolt.storage;

/**
 * A named, independently ordered key range (a RocksDB column family, a Cassandra table). Keyspaces are declared
 * by the layers above when they open the store, so an engine never needs to know what they hold.
 */
public record Keyspace(String name) {
    public Keyspace {
        if (name == null || !name.matches("[a-z][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("keyspace names are lower-case words, got: " + name);
        }
    }
}
