package dev.fhirbolt.database;

import java.time.Instant;
import java.util.List;

/**
 * Keys that other layers (search indexes, compartments) derive from a resource and that must change atomically with
 * it. The pipeline removes the entries of the previous version (found by the store's {@link DerivedKeyFinder}) and
 * writes these with the new one, so indexes are never stale. Compute the expensive part before submitting; this call
 * only adds what depends on the version.
 */
@FunctionalInterface
public interface DerivedEntries {

    DerivedEntries NONE = (version, lastUpdated) -> List.of();

    List<KvEntry> entries(long version, Instant lastUpdated);
}
