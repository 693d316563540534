package dev.fhirbolt.storage;

import java.util.Optional;

/** What a key must hold for a conditional write to go ahead: exactly {@code value}, or nothing when it is empty. */
public record KvPrecondition(Keyspace keyspace, byte[] key, Optional<byte[]> value) {

    /** Whether {@code actual}, the key's current value, satisfies this precondition. */
    public boolean holdsFor(Optional<byte[]> actual) {
        return actual.isPresent() == value.isPresent()
                && (actual.isEmpty() || java.util.Arrays.equals(actual.get(), value.get()));
    }
}
