package dev.fhirbolt.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Puts and deletes that an engine applies all together or not at all, in the order they were added. */
public final class KvBatch {

    /** One change; a {@code null} value deletes the key. */
    public record Change(Keyspace keyspace, byte[] key, byte[] value) {
        public boolean isDelete() {
            return value == null;
        }
    }

    private final List<Change> changes = new ArrayList<>();
    private long approximateBytes;

    public KvBatch put(Keyspace keyspace, byte[] key, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("a put needs a value; use delete to remove a key");
        }
        changes.add(new Change(keyspace, key, value));
        approximateBytes += key.length + value.length;
        return this;
    }

    public KvBatch delete(Keyspace keyspace, byte[] key) {
        changes.add(new Change(keyspace, key, null));
        approximateBytes += key.length;
        return this;
    }

    public KvBatch addAll(KvBatch other) {
        changes.addAll(other.changes);
        approximateBytes += other.approximateBytes;
        return this;
    }

    public List<Change> changes() {
        return Collections.unmodifiableList(changes);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public long approximateBytes() {
        return approximateBytes;
    }
}
