package dev.fhirbolt.database;

import java.util.Objects;

/** One resource change inside a {@link Commit}. Deletes carry no body. */
public record Write(WriteMethod method, String type, String id, Expectation expectation, VersionedBody body,
        DerivedEntries derived) {

    public Write {
        Objects.requireNonNull(method);
        Objects.requireNonNull(type);
        Objects.requireNonNull(id);
        expectation = expectation == null ? Expectation.ANY : expectation;
        derived = derived == null ? DerivedEntries.NONE : derived;
        if ((method == WriteMethod.DELETE) != (body == null)) {
            throw new IllegalArgumentException("deletes have no body and every other write has one");
        }
    }

    public static Write delete(String type, String id, Expectation expectation) {
        return new Write(WriteMethod.DELETE, type, id, expectation, null, DerivedEntries.NONE);
    }
}
