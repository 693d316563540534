package dev.fhirbolt.bulk;

import dev.fhirbolt.storage.ConditionalKvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.Leases;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Claims on export jobs in a cluster: a {@link Leases} per job id in the {@code bulk-leases} keyspace of the replicated
 * key-value store, the note being the job's progress. The running node renews its claim every few seconds; any other
 * node watches the claims of unfinished jobs it does not run, takes over one that has gone silent (exactly one node
 * wins) and runs the job again from the start.
 */
public final class ExportLeases implements ExportClaims {

    public static final Keyspace LEASES = new Keyspace("bulk-leases");

    private final Leases leases;

    public ExportLeases(ConditionalKvStore kv, String node, Duration silence, LongSupplier nanoTime) {
        this.leases = new Leases(kv, LEASES, node, silence, nanoTime);
    }

    @Override
    public void claim(String jobId) {
        leases.claim(jobId, "queued");
    }

    @Override
    public boolean resumesHere(String jobId) {
        return leases.resumesHere(jobId);
    }

    @Override
    public boolean renew(String jobId, String progress) {
        return leases.renew(jobId, progress);
    }

    @Override
    public Optional<String> progress(String jobId) {
        return leases.find(jobId).map(l -> l.note() + " (on node " + l.node() + ")");
    }

    @Override
    public boolean takeOver(String jobId) {
        return leases.takeOver(jobId);
    }

    /** The node whose claim the job has, if any. */
    public Optional<String> holder(String jobId) {
        return leases.find(jobId).map(Leases.Lease::node);
    }

    @Override
    public void release(String jobId) {
        leases.release(jobId);
    }

    @Override
    public boolean shared() {
        return true;
    }
}
