package dev.fhirbolt.database;

import java.util.List;

/**
 * Writes applied atomically: all become visible together, or none when one expectation fails. {@code replication} is
 * null unless the commit came from the cluster's transaction log.
 */
public record Commit(List<Write> writes, Replication replication) {

    public Commit {
        writes = List.copyOf(writes);
    }

    public Commit(List<Write> writes) {
        this(writes, null);
    }

    public Commit replicated(Replication how) {
        return new Commit(writes, how);
    }

    public static Commit of(Write... writes) {
        return new Commit(List.of(writes));
    }
}
