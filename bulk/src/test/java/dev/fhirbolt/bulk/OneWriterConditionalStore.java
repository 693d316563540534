package dev.fhirbolt.bulk;

import dev.fhirbolt.storage.ConditionalKvStore;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvPrecondition;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import java.util.List;
import java.util.Optional;

/**
 * A real store shared by several "nodes" of one test, with conditional writes checked and applied under one lock:
 * what the cluster's log gives every node (one order of writes, preconditions checked at apply time).
 */
final class OneWriterConditionalStore implements ConditionalKvStore {

    private final KvStore kv;

    OneWriterConditionalStore(KvStore kv) {
        this.kv = kv;
    }

    @Override
    public Optional<byte[]> get(Keyspace keyspace, byte[] key) {
        return kv.get(keyspace, key);
    }

    @Override
    public KvSnapshot snapshot() {
        return kv.snapshot();
    }

    @Override
    public synchronized void write(KvBatch batch, boolean durable) {
        kv.write(batch, durable);
    }

    @Override
    public synchronized boolean writeIf(List<KvPrecondition> preconditions, KvBatch batch) {
        if (!preconditions.stream().allMatch(p -> p.holdsFor(kv.get(p.keyspace(), p.key())))) {
            return false;
        }
        kv.write(batch, true);
        return true;
    }

    @Override
    public java.util.Map<String, Long> statistics() {
        return kv.statistics();
    }

    @Override
    public void checkpoint(java.nio.file.Path target) {
        kv.checkpoint(target);
    }

    @Override
    public void close() {
    }
}
