package dev.fhirbolt.cluster;

import dev.fhirbolt.storage.ConditionalKvStore;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvPrecondition;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import java.util.List;
import java.util.Optional;

/**
 * A {@link KvStore} whose writes go through the cluster's log and are applied on every node, and whose reads are this
 * node's: the auth server's state (clients, users, keys, codes, tokens, revocations) is the same on every node.
 * {@link #writeIf} applies a batch only when the keys it read still hold what it read, on every node alike, which
 * is what makes a one-time code usable once in the whole cluster.
 */
final class LoggedKvStore implements ConditionalKvStore {

    private final KvStore local;
    private final LogWriter writer;

    LoggedKvStore(KvStore local, LogWriter writer) {
        this.local = local;
        this.writer = writer;
    }

    @Override
    public Optional<byte[]> get(Keyspace keyspace, byte[] key) {
        return local.get(keyspace, key);
    }

    @Override
    public KvSnapshot snapshot() {
        return local.snapshot();
    }

    /** Every node applies the batch; returns once this node has (the log is durable, so {@code durable} is moot). */
    @Override
    public void write(KvBatch batch, boolean durable) {
        writeIf(List.of(), batch);
    }

    /** Applies the batch only if every precondition holds when the log reaches it; answers whether it did. */
    @Override
    public boolean writeIf(List<KvPrecondition> preconditions, KvBatch batch) {
        if (batch.isEmpty()) {
            return true;
        }
        return (Boolean) writer.submit(new LogCommand.KvChange(writer.nextRequestId(), preconditions, batch));
    }

    /** The local store stays open: the node that opened it closes it. */
    /** A copy of this node's local store, which holds the shared state as of the log position it has applied. */
    @Override
    public java.util.Map<String, Long> statistics() {
        return local.statistics();
    }

    @Override
    public void checkpoint(java.nio.file.Path target) {
        local.checkpoint(target);
    }

    @Override
    public void close() {
    }
}
