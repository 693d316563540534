package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The events delivered to each topic-based subscription, by event number: {@code subscriptionId 0 number} → the
 * version it was about ({@code version type/id}), so that {@code $events} can answer them again. Written in the same
 * batch as the subscription's cursor ({@link DeliveryCursors}), so the numbers a restart resumes from are the numbers
 * kept. Only the last {@link #RETAINED} events of a subscription are kept.
 */
final class EventLog {

    static final Keyspace EVENTS = new Keyspace("subscription-events");
    static final int RETAINED = 1000;

    /** One delivered event: its number and the version (type, id, version number) it was about. */
    record Entry(long number, String type, String id, long version) {

        static Entry of(long number, ResourceVersion v) {
            return new Entry(number, v.type(), v.id(), v.version());
        }
    }

    private final KvStore kv;

    EventLog(KvStore kv) {
        this.kv = kv;
    }

    /** Adds the writes keeping {@code entries} of a subscription (and forgetting those now beyond retention). */
    static void add(KvBatch batch, String subscriptionId, List<Entry> entries) {
        for (Entry e : entries) {
            byte[] ref = Bytes.utf8(e.type() + "/" + e.id());
            batch.put(EVENTS, key(subscriptionId, e.number()),
                    ByteBuffer.allocate(8 + ref.length).putLong(e.version()).put(ref).array());
            if (e.number() > RETAINED) {
                batch.delete(EVENTS, key(subscriptionId, e.number() - RETAINED));
            }
        }
    }

    /** The kept events numbered {@code from} to {@code to} (inclusive), oldest first, at most {@code limit}. */
    List<Entry> read(String subscriptionId, long from, long to, int limit) {
        List<Entry> out = new ArrayList<>();
        byte[] prefix = prefix(subscriptionId);
        try (KvSnapshot snapshot = kv.snapshot(); KvCursor c = snapshot.cursor(EVENTS)) {
            for (c.seek(key(subscriptionId, Math.max(0, from))); c.isValid() && Bytes.startsWith(c.key(), prefix)
                    && out.size() < limit; c.next()) {
                long number = ByteBuffer.wrap(c.key(), prefix.length, 8).getLong();
                if (number > to) {
                    break;
                }
                ByteBuffer v = ByteBuffer.wrap(c.value());
                long version = v.getLong();
                String ref = new String(c.value(), 8, c.value().length - 8, StandardCharsets.UTF_8);
                int slash = ref.indexOf('/');
                out.add(new Entry(number, ref.substring(0, slash), ref.substring(slash + 1), version));
            }
        }
        return out;
    }

    /** Adds the deletes of every kept event of a subscription. */
    void forget(KvBatch batch, String subscriptionId) {
        byte[] prefix = prefix(subscriptionId);
        try (KvSnapshot snapshot = kv.snapshot(); KvCursor c = snapshot.cursor(EVENTS)) {
            for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix); c.next()) {
                batch.delete(EVENTS, c.key());
            }
        }
    }

    private static byte[] prefix(String subscriptionId) {
        byte[] id = Bytes.utf8(subscriptionId);
        return ByteBuffer.allocate(id.length + 1).put(id).put((byte) 0).array();
    }

    private static byte[] key(String subscriptionId, long number) {
        byte[] prefix = prefix(subscriptionId);
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(number).array();
    }
}
