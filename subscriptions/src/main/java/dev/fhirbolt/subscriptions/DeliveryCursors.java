package dev.fhirbolt.subscriptions;

import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvStore;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Each subscription's durable delivery position: the last transaction number whose matching changes were delivered,
 * and how many events were delivered since the subscription started (the backport's
 * {@code eventsSinceSubscriptionStart}). Delivery resumes after it when the server restarts, and in a cluster (where
 * the store given is the replicated one, written through the log) on whichever node delivers next.
 */
public final class DeliveryCursors {

    public static final Keyspace CURSORS = new Keyspace("subscription-cursors");

    /** A position: delivered up to transaction {@code t}, {@code events} event notifications so far. */
    public record Cursor(long t, long events) {
    }

    private final KvStore kv;
    private final java.util.Map<String, Cursor> pending = new java.util.concurrent.ConcurrentHashMap<>();
    /** Delivered events of topic-based subscriptions not written yet (written with their cursors). */
    private final java.util.Map<String, List<EventLog.Entry>> pendingEvents =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final EventLog events;
    private volatile boolean closed;
    private Thread flusher;

    public DeliveryCursors(KvStore kv) {
        this.kv = kv;
        this.events = new EventLog(kv);
    }

    EventLog events() {
        return events;
    }

    public Optional<Cursor> find(String subscriptionId) {
        Cursor unwritten = pending.get(subscriptionId);
        if (unwritten != null) {
            return Optional.of(unwritten);
        }
        return kv.get(CURSORS, Bytes.utf8(subscriptionId)).map(v -> {
            ByteBuffer b = ByteBuffer.wrap(v);
            return new Cursor(b.getLong(), b.getLong());
        });
    }

    /**
     * Records a new position. Positions are written in one batch every 200 ms by a background thread (and at close),
     * not fsync'd: the delivery threads never wait on the store (a RocksDB write queues behind the commit pipeline's
     * fsync), and a cursor that lags after a crash only means some changes are delivered again (at least once).
     */
    public void save(String subscriptionId, Cursor cursor) {
        pending.put(subscriptionId, cursor);
    }

    /** Records a new position after delivering {@code delivered} (kept for {@code $events}, in the same batch). */
    void save(String subscriptionId, Cursor cursor, List<EventLog.Entry> delivered) {
        if (!delivered.isEmpty()) {
            pendingEvents.compute(subscriptionId, (k, list) -> {
                List<EventLog.Entry> out = list == null ? new java.util.ArrayList<>() : list;
                out.addAll(delivered);
                return out;
            });
        }
        pending.put(subscriptionId, cursor);
    }

    /** Writes the recorded positions now. */
    public synchronized void flush() {
        if (pending.isEmpty() && pendingEvents.isEmpty()) {
            return;
        }
        KvBatch batch = new KvBatch();
        for (String id : List.copyOf(pendingEvents.keySet())) {
            List<EventLog.Entry> list = pendingEvents.remove(id);
            if (list != null) {
                EventLog.add(batch, id, list);
            }
        }
        for (String id : List.copyOf(pending.keySet())) {
            Cursor c = pending.remove(id);
            if (c != null) {
                batch.put(CURSORS, Bytes.utf8(id), ByteBuffer.allocate(16).putLong(c.t()).putLong(c.events()).array());
            }
        }
        kv.write(batch, false);
    }

    /** Starts the background writer. */
    public synchronized void start() {
        closed = false;
        flusher = Thread.ofPlatform().daemon().name("subscription-cursors").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(200);
                    flush();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (!closed) {
                        org.slf4j.LoggerFactory.getLogger(DeliveryCursors.class).warn("writing cursors", e);
                    }
                }
            }
        });
    }

    /** Stops the background writer after a last flush. */
    public void close() {
        closed = true;
        if (flusher != null) {
            flusher.interrupt();
            try {
                flusher.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flush();
    }

    public synchronized void delete(String subscriptionId) {
        pending.remove(subscriptionId);
        pendingEvents.remove(subscriptionId);
        KvBatch batch = new KvBatch().delete(CURSORS, Bytes.utf8(subscriptionId));
        events.forget(batch, subscriptionId);
        kv.write(batch, true);
    }
}
