package dev.fhirbolt.database;

import dev.fhirbolt.storage.Keyspace;

/** A key and its value in one keyspace. */
public record KvEntry(Keyspace keyspace, byte[] key, byte[] value) {
}
