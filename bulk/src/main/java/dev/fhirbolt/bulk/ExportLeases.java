package dev.fhirbolt.bulk;

import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.ConditionalKvStore;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvPrecondition;
import dev.fhirbolt.storage.Keyspace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Claims on export jobs in a cluster, kept in the {@code bulk-leases} keyspace of the replicated key-value store
 * (every node applies every change in log order): job id → {@code node \n beat \n progress}. The running node renews
 * its claim every few seconds with a higher beat, on the condition that the claim is still the one it wrote. Any other
 * node watches the claims of unfinished jobs it does not run; one that has not changed for {@code silence} (measured
 * on the watcher's own clock, so clocks need not agree) is taken over with a conditional write, which exactly one
 * node wins, and that node runs the job again from the start.
 */
public final class ExportLeases implements ExportClaims {

    public static final Keyspace LEASES = new Keyspace("bulk-leases");

    private final ConditionalKvStore kv;
    private final String node;
    private final Duration silence;
    private final LongSupplier nanoTime;
    /** The claim this node last wrote, per job it runs. */
    private final Map<String, byte[]> mine = new ConcurrentHashMap<>();
    /** Claims of other nodes as last seen, and since when (nanoTime) they have not changed. */
    private final Map<String, Seen> watched = new ConcurrentHashMap<>();

    private record Seen(Optional<byte[]> value, long since) {
        boolean same(Optional<byte[]> other) {
            return value.isPresent() == other.isPresent()
                    && (value.isEmpty() || java.util.Arrays.equals(value.get(), other.get()));
        }
    }

    private record Lease(String node, long beat, String progress) {
        byte[] encode() {
            return (node + "\n" + beat + "\n" + progress).getBytes(StandardCharsets.UTF_8);
        }

        static Lease decode(byte[] bytes) {
            String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\n", 3);
            return new Lease(parts[0], Long.parseLong(parts[1]), parts.length > 2 ? parts[2] : "");
        }
    }

    public ExportLeases(ConditionalKvStore kv, String node, Duration silence, LongSupplier nanoTime) {
        this.kv = kv;
        this.node = node;
        this.silence = silence;
        this.nanoTime = nanoTime;
    }

    @Override
    public void claim(String jobId) {
        byte[] lease = new Lease(node, 0, "queued").encode();
        kv.write(new KvBatch().put(LEASES, Bytes.utf8(jobId), lease), true);
        mine.put(jobId, lease);
    }

    @Override
    public boolean resumesHere(String jobId) {
        Optional<byte[]> current = kv.get(LEASES, Bytes.utf8(jobId));
        if (current.isPresent() && Lease.decode(current.get()).node().equals(node)) {
            mine.put(jobId, current.get());
            return true;
        }
        return false;
    }

    @Override
    public boolean renew(String jobId, String progress) {
        byte[] last = mine.get(jobId);
        if (last == null) {
            return false;
        }
        byte[] next = new Lease(node, Lease.decode(last).beat() + 1, progress).encode();
        boolean held = kv.writeIf(List.of(new KvPrecondition(LEASES, Bytes.utf8(jobId), Optional.of(last))),
                new KvBatch().put(LEASES, Bytes.utf8(jobId), next));
        if (held) {
            mine.put(jobId, next);
        } else {
            mine.remove(jobId);
        }
        return held;
    }

    @Override
    public Optional<String> progress(String jobId) {
        return kv.get(LEASES, Bytes.utf8(jobId)).map(Lease::decode)
                .map(l -> l.progress() + " (on node " + l.node() + ")");
    }

    @Override
    public boolean takeOver(String jobId) {
        if (mine.containsKey(jobId)) {
            return false;
        }
        Optional<byte[]> current = kv.get(LEASES, Bytes.utf8(jobId));
        long now = nanoTime.getAsLong();
        Seen seen = watched.get(jobId);
        if (seen == null || !seen.same(current)) {
            watched.put(jobId, new Seen(current, now));
            return false;
        }
        if (now - seen.since() < silence.toNanos()) {
            return false;
        }
        String from = current.map(c -> Lease.decode(c).node()).orElse("none");
        byte[] lease = new Lease(node, 0, "taken over from node " + from).encode();
        watched.remove(jobId);
        if (kv.writeIf(List.of(new KvPrecondition(LEASES, Bytes.utf8(jobId), current)),
                new KvBatch().put(LEASES, Bytes.utf8(jobId), lease))) {
            mine.put(jobId, lease);
            return true;
        }
        return false;
    }

    /** The node whose claim the job has, if any. */
    public Optional<String> holder(String jobId) {
        return kv.get(LEASES, Bytes.utf8(jobId)).map(l -> Lease.decode(l).node());
    }

    @Override
    public void release(String jobId) {
        mine.remove(jobId);
        watched.remove(jobId);
        kv.write(new KvBatch().delete(LEASES, Bytes.utf8(jobId)), true);
    }

    @Override
    public boolean shared() {
        return true;
    }
}
