package dev.fhirbolt.authz.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the audit log to a retention period: a minute after start-up and then every hour, the events older than the
 * period are removed ({@link AuditStore#prune}). Without it the log, which records every request, only grows.
 */
public final class AuditRetention implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditStore store;
    private final Duration keep;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("fhirbolt-audit-retention").daemon(true).unstarted(r));

    public AuditRetention(AuditStore store, Duration keep, Clock clock) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("the audit retention must be positive, got " + keep);
        }
        this.store = store;
        this.keep = keep;
        this.clock = clock;
        scheduler.scheduleWithFixedDelay(this::pruneQuietly, 1, 60, TimeUnit.MINUTES);
    }

    /** Removes what is older than the retention period now; returns how many events went. */
    public long prune() {
        long removed = store.prune(clock.instant().minus(keep));
        if (removed > 0) {
            LOG.info("audit retention: removed {} AuditEvents older than {} days", removed, keep.toDays());
        }
        return removed;
    }

    private void pruneQuietly() {
        try {
            prune();
        } catch (RuntimeException e) {
            LOG.warn("audit retention: pruning failed; it is tried again in an hour", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
