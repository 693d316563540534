package dev.fhirbolt.storage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Leases on named pieces of work shared by the nodes of a cluster, kept in one keyspace of a {@link ConditionalKvStore}
 * whose writes every node applies in one order: key → {@code node \n beat \n note}. The holder renews its lease with a
 * higher beat, on the condition that the lease is still the one it wrote. Other nodes watch a lease they do not hold;
 * one that has not changed for {@code silence} (measured on the watcher's own clock, so clocks need not agree) is
 * taken over with a conditional write, which exactly one node wins. A lease nobody holds is taken at once.
 */
public final class Leases {

    private final ConditionalKvStore kv;
    private final Keyspace keyspace;
    private final String node;
    private final Duration silence;
    private final LongSupplier nanoTime;
    /** The lease this node last wrote, per key it holds. */
    private final Map<String, byte[]> mine = new ConcurrentHashMap<>();
    /** Leases of other nodes as last seen, and since when (nanoTime) they have not changed. */
    private final Map<String, Seen> watched = new ConcurrentHashMap<>();

    /** A lease as stored: who holds it, its beat, and what the holder says about the work (progress). */
    public record Lease(String node, long beat, String note) {
        byte[] encode() {
            return (node + "\n" + beat + "\n" + note).getBytes(StandardCharsets.UTF_8);
        }

        static Lease decode(byte[] bytes) {
            String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\n", 3);
            return new Lease(parts[0], Long.parseLong(parts[1]), parts.length > 2 ? parts[2] : "");
        }
    }

    private record Seen(Optional<byte[]> value, long since) {
        boolean same(Optional<byte[]> other) {
            return value.isPresent() == other.isPresent()
                    && (value.isEmpty() || Arrays.equals(value.get(), other.get()));
        }
    }

    public Leases(ConditionalKvStore kv, Keyspace keyspace, String node, Duration silence, LongSupplier nanoTime) {
        this.kv = kv;
        this.keyspace = keyspace;
        this.node = node;
        this.silence = silence;
        this.nanoTime = nanoTime;
    }

    public String node() {
        return node;
    }

    /** This node takes the lease, whoever held it. */
    public void claim(String key, String note) {
        byte[] lease = new Lease(node, 0, note).encode();
        kv.write(new KvBatch().put(keyspace, Bytes.utf8(key), lease), true);
        mine.put(key, lease);
    }

    /** Whether this node holds the lease by what it last wrote (it may have been taken over since). */
    public boolean held(String key) {
        return mine.containsKey(key);
    }

    /** Whether the stored lease names this node (after a restart with the same node id); it is then held again. */
    public boolean resumesHere(String key) {
        Optional<byte[]> current = kv.get(keyspace, Bytes.utf8(key));
        if (current.isPresent() && Lease.decode(current.get()).node().equals(node)) {
            mine.put(key, current.get());
            return true;
        }
        return false;
    }

    /** Renews a held lease with a new note; false (and no longer held) when another node has taken it. */
    public boolean renew(String key, String note) {
        byte[] last = mine.get(key);
        if (last == null) {
            return false;
        }
        byte[] next = new Lease(node, Lease.decode(last).beat() + 1, note).encode();
        boolean held = kv.writeIf(List.of(new KvPrecondition(keyspace, Bytes.utf8(key), Optional.of(last))),
                new KvBatch().put(keyspace, Bytes.utf8(key), next));
        if (held) {
            mine.put(key, next);
        } else {
            mine.remove(key);
        }
        return held;
    }

    /**
     * Whether this node now takes over a lease it does not hold because it has not changed for the silence (its
     * holder died); at most one node does.
     */
    public boolean takeOver(String key) {
        if (mine.containsKey(key)) {
            return false;
        }
        Optional<byte[]> current = kv.get(keyspace, Bytes.utf8(key));
        long now = nanoTime.getAsLong();
        Seen seen = watched.get(key);
        if (seen == null || !seen.same(current)) {
            watched.put(key, new Seen(current, now));
            return false;
        }
        if (now - seen.since() < silence.toNanos()) {
            return false;
        }
        String from = current.map(c -> Lease.decode(c).node()).orElse("none");
        return take(key, current, "taken over from node " + from);
    }

    /** Takes a lease nobody holds at once, and one whose holder went silent as {@link #takeOver} does. */
    public boolean acquire(String key, String note) {
        if (mine.containsKey(key)) {
            return true;
        }
        Optional<byte[]> current = kv.get(keyspace, Bytes.utf8(key));
        if (current.isEmpty()) {
            return take(key, current, note);
        }
        return takeOver(key);
    }

    private boolean take(String key, Optional<byte[]> current, String note) {
        byte[] lease = new Lease(node, 0, note).encode();
        watched.remove(key);
        if (kv.writeIf(List.of(new KvPrecondition(keyspace, Bytes.utf8(key), current)),
                new KvBatch().put(keyspace, Bytes.utf8(key), lease))) {
            mine.put(key, lease);
            return true;
        }
        return false;
    }

    /** The stored lease, if any node holds it. */
    public Optional<Lease> find(String key) {
        return kv.get(keyspace, Bytes.utf8(key)).map(Lease::decode);
    }

    /** Deletes the lease, whoever holds it (the work is done or cancelled). */
    public void release(String key) {
        mine.remove(key);
        watched.remove(key);
        kv.write(new KvBatch().delete(keyspace, Bytes.utf8(key)), true);
    }

    /** Gives up a lease this node holds, so that another node may take it at once; nothing if it moved on. */
    public void resign(String key) {
        byte[] last = mine.remove(key);
        if (last != null) {
            kv.writeIf(List.of(new KvPrecondition(keyspace, Bytes.utf8(key), Optional.of(last))),
                    new KvBatch().delete(keyspace, Bytes.utf8(key)));
        }
    }

    /** Forgets that this node holds the lease without writing (it could not renew it for too long). */
    public void forget(String key) {
        mine.remove(key);
    }
}
