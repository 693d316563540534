package dev.fhirbolt.storage;

import java.util.List;

/**
 * A store where one writer cannot rely on a lock of its own to read and then write, because other processes write
 * the same keys (the nodes of a cluster): it applies a batch only when keys still hold what the writer read.
 */
public interface ConditionalKvStore extends KvStore {

    /** Applies {@code batch} only if every precondition holds at that moment; answers whether it did. */
    boolean writeIf(List<KvPrecondition> preconditions, KvBatch batch);
}
