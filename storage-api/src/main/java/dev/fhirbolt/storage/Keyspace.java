package dev.fhirbolt.storage;

/**
 * A named, independently ordered key range (a RocksDB column family, a Cassandra table). Keyspaces are declared
 * by the layers above when they open the store, so an engine never needs to know what they hold.
 */
public record Keyspace(String name) {
    /** Compiled once: keyspaces are also named at run time (the cluster decodes them from every log record). */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public Keyspace {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("keyspace names are lower-case words, got: " + name);
        }
    }
}
