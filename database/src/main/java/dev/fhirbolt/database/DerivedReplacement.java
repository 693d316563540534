package dev.fhirbolt.database;

import java.util.Objects;

/**
 * New derived entries for a resource's current version (after the rules deriving them changed, e.g. a new search
 * parameter). Applied only while {@code version} is still the current version.
 */
public record DerivedReplacement(String type, String id, long version, DerivedEntries derived) {

    public DerivedReplacement {
        Objects.requireNonNull(type);
        Objects.requireNonNull(id);
        Objects.requireNonNull(derived);
    }
}
