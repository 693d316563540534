package dev.fhirbolt.database;

import java.util.List;

/** Writes applied atomically: all become visible together, or none when one expectation fails. */
public record Commit(List<Write> writes) {

    public Commit {
        writes = List.copyOf(writes);
    }

    public static Commit of(Write... writes) {
        return new Commit(List.of(writes));
    }
}
