package dev.fhirbolt.subscriptions;

import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvStore;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Each subscription's durable delivery position, in this node's store: the last transaction number whose matching
 * changes were delivered, and how many events were delivered since the subscription started (the backport's
 * {@code eventsSinceSubscriptionStart}). Delivery resumes after it when the server restarts.
 */
public final class DeliveryCursors {

    public static final Keyspace CURSORS = new Keyspace("subscription-cursors");

    /** A position: delivered up to transaction {@code t}, {@code events} event notifications so far. */
    public record Cursor(long t, long events) {
    }

    private final KvStore kv;

    public DeliveryCursors(KvStore kv) {
        this.kv = kv;
    }

    public static List<Keyspace> keyspaces() {
        return List.of(CURSORS);
    }

    public Optional<Cursor> find(String subscriptionId) {
        return kv.get(CURSORS, Bytes.utf8(subscriptionId)).map(v -> {
            ByteBuffer b = ByteBuffer.wrap(v);
            return new Cursor(b.getLong(), b.getLong());
        });
    }

    /**
     * Not fsync'd: a cursor that lags after a power loss only means some changes are delivered again (at least
     * once), and a sync per delivery would compete with the commit pipeline's own.
     */
    public void save(String subscriptionId, Cursor cursor) {
        kv.write(new KvBatch().put(CURSORS, Bytes.utf8(subscriptionId),
                ByteBuffer.allocate(16).putLong(cursor.t()).putLong(cursor.events()).array()), false);
    }

    public void delete(String subscriptionId) {
        kv.write(new KvBatch().delete(CURSORS, Bytes.utf8(subscriptionId)), true);
    }
}
