package dev.fhirbolt.app;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's writes in a cluster: a batch the log cannot take now (a 503: a broker failing over, too few in
 * sync) is tried again, once a second, for up to {@code patience}, instead of its events being dropped at once. The
 * audit writer waits meanwhile, so requests queue behind it (the trail's backpressure). Trying again is safe even when
 * the first try did reach the log after all: an audit batch puts the same values under the same keys.
 */
final class RetryingAuditWrites implements KvStore {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingAuditWrites.class);
    private static final long PAUSE_MILLIS = 1_000;

    private final KvStore inner;
    private final Duration patience;

    RetryingAuditWrites(KvStore inner, Duration patience) {
        this.inner = inner;
        this.patience = patience;
    }

    @Override
    public Optional<byte[]> get(Keyspace keyspace, byte[] key) {
        return inner.get(keyspace, key);
    }

    @Override
    public KvSnapshot snapshot() {
        return inner.snapshot();
    }

    @Override
    public java.util.Map<String, Long> statistics() {
        return inner.statistics();
    }

    @Override
    public void checkpoint(java.nio.file.Path target) {
        inner.checkpoint(target);
    }

    @Override
    public void write(KvBatch batch, boolean durable) {
        long deadline = System.nanoTime() + patience.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                inner.write(batch, durable);
                if (attempt > 1) {
                    LOG.info("an audit batch went through the log at attempt {}", attempt);
                }
                return;
            } catch (FhirException e) {
                if (e.status() != 503 || System.nanoTime() + PAUSE_MILLIS * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.warn("the log did not take an audit batch ({}); trying again in a second", e.getMessage());
                try {
                    Thread.sleep(PAUSE_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The inner store belongs to whoever opened it. */
    @Override
    public void close() {
    }
}
