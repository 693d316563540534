package dev.fhirbolt.database;

import java.util.OptionalLong;

/** What the current state of a resource must be for a write to go ahead. */
public sealed interface Expectation {

    /** No condition. */
    record Any() implements Expectation {
    }

    /** The resource must not exist (a deleted resource counts as existing history, so it may be recreated). */
    record Absent() implements Expectation {
    }

    /** The current version must be this one (If-Match); answered with 412 otherwise. */
    record Version(long version) implements Expectation {
    }

    Expectation ANY = new Any();
    Expectation ABSENT = new Absent();

    static Expectation of(OptionalLong ifMatch) {
        return ifMatch.isPresent() ? new Version(ifMatch.getAsLong()) : ANY;
    }
}
