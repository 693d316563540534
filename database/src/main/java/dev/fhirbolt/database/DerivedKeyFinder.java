package dev.fhirbolt.database;

import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.Keyspace;
import java.util.function.BiConsumer;

/**
 * Finds the keys of the derived entries a resource has in the store, so that its next version (or a deletion) can
 * remove them. The layer that writes derived entries lays them out so that they can be found again from the resource
 * alone (the search indexes: from its search-resource record), which spares every write keeping a list of them.
 */
@FunctionalInterface
public interface DerivedKeyFinder {

    DerivedKeyFinder NONE = (snapshot, type, id, found) -> {
    };

    void find(KvSnapshot snapshot, String type, String id, BiConsumer<Keyspace, byte[]> found);
}
