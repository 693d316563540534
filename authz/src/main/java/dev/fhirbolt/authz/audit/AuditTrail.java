package dev.fhirbolt.authz.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import dev.fhirbolt.common.Health;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail. {@link #record} puts what a request captured on a small bounded queue; one background thread
 * takes what is queued, gives each record its time key and appends them to the {@link AuditStore} in one durable
 * batch (a record of 100–200 bytes and one to four index keys each); it optionally appends each stored event's
 * JSON as a line to a log file.
 *
 * <p>Every access must leave an AuditEvent, so nothing is dropped or merged when the writer falls behind: a request
 * that finds the queue full waits for room (backpressure), which bounds memory and keeps the writer, one thread
 * among the many request threads, from being starved. Only a writer stuck for {@link #FULL_QUEUE_WAIT_MILLIS}
 * (a broken store) makes records be dropped, counted and logged.
 *
 * <p>The writer thread survives any failure of a batch (an {@link Error} included): the batch's records are counted
 * as dropped, the failure is logged once while it lasts and reported to {@link Health} as DEGRADED until a batch is
 * stored again. Should the thread end all the same, {@code /health} turns DOWN and records are dropped at once
 * instead of after the full-queue wait.
 */
public final class AuditTrail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private static final int QUEUE = 8_192;
    /** Most records one batch takes: everything the queue can hold. */
    private static final int BATCH = QUEUE;
    /**
     * Batches start at most this often: a batch's fixed cost (a RocksDB write and its fsync, waking the writer) is
     * then shared by everything that arrived in that time instead of by the few records of one fsync. Requests never
     * wait for it; the queue holds what 10 ms bring up to 800,000 requests a second.
     */
    private static final long BATCH_INTERVAL_NANOS = 10_000_000;
    private static final long FULL_QUEUE_WAIT_MILLIS = 10_000;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final AuditStore store;
    private final String site;
    private final OutputStream log;
    private final BlockingQueue<Auditable> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final Thread worker;
    private final Health health;
    /** The failure being reported, so that a lasting one is logged once, not once a batch. */
    private String failing;
    private volatile boolean closing;
    /** Set when closing took too long: the writer stops after the batch it is writing. */
    private volatile boolean abandoned;

    /**
     * @param site    the server's base URL (AuditEvent.source.site)
     * @param logFile where to append each event as a line of JSON, or null
     */
    public AuditTrail(AuditStore store, String site, Path logFile) throws IOException {
        this(store, site, logFile, new Health());
    }

    /** As above, reporting the writer's failures to {@code health} under {@value #HEALTH_NAME}. */
    public AuditTrail(AuditStore store, String site, Path logFile, Health health) throws IOException {
        this.store = store;
        this.health = health;
        this.site = site;
        if (logFile != null) {
            if (logFile.getParent() != null) {
                Files.createDirectories(logFile.getParent());
            }
            this.log = new BufferedOutputStream(
                    Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16);
        } else {
            this.log = null;
        }
        this.worker = Thread.ofPlatform().name("fhirbolt-audit").daemon(true).start(this::runGuarded);
    }

    /** The name this trail reports its conditions under in {@link Health}. */
    public static final String HEALTH_NAME = "audit-trail";

    /** Queues a record; waits for room when the queue is full. */
    public void record(Auditable a) {
        submitted.incrementAndGet();
        if (!closing) {
            try {
                if (queue.offer(a) || worker.isAlive()
                        && queue.offer(a, FULL_QUEUE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        done.incrementAndGet();
        if (dropped.incrementAndGet() % 1000 == 1) {
            LOG.warn("audit trail {}: {} audit records dropped so far", closing ? "closed" : "not writing",
                    dropped.get());
        }
    }

    /** Waits until everything queued so far is stored (tests). */
    public boolean flush(long timeoutMillis) throws InterruptedException {
        long target = submitted.get();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (done.get() < target) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    public long dropped() {
        return dropped.get();
    }

    /** Records queued but not yet stored. */
    public long pending() {
        return submitted.get() - done.get();
    }

    private void runGuarded() {
        try {
            run();
        } catch (Throwable e) {
            LOG.error("the audit writer stopped; audit records are dropped until the server is restarted", e);
            health.report(HEALTH_NAME, Health.Level.DOWN, "the audit writer stopped (" + describe(e)
                    + "); audit records are dropped until the server is restarted");
            done.addAndGet(queue.size());
            dropped.addAndGet(queue.size());
            queue.clear();
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void run() {
        List<Auditable> taken = new ArrayList<>();
        long lastBatch = System.nanoTime() - BATCH_INTERVAL_NANOS;
        while (!abandoned) {
            Auditable first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            long wait = lastBatch + BATCH_INTERVAL_NANOS - System.nanoTime();
            if (wait > 0 && !closing) {
                LockSupport.parkNanos(wait);
            }
            lastBatch = System.nanoTime();
            taken.add(first);
            queue.drainTo(taken, BATCH - 1);
            try {
                write(taken);
                recovered();
            } catch (Throwable e) {
                dropped.addAndGet(taken.size());
                failed(taken.size(), e);
            } finally {
                done.addAndGet(taken.size());
                taken.clear();
            }
        }
    }

    /** Stores the records in one durable batch, then appends them to the log file. */
    private void write(List<Auditable> records) {
        List<AuditStore.Event> events = new ArrayList<>(records.size());
        for (Auditable a : records) {
            try {
                events.add(store.keyed(a.toRecord(), site));
            } catch (RuntimeException e) {
                LOG.error("could not turn an audit record into an AuditEvent: {}", a, e);
            }
        }
        store.append(events);
        appendToLog(events);
    }

    private void failed(int records, Throwable e) {
        String reason = describe(e);
        if (!reason.equals(failing)) {
            failing = reason;
            LOG.error("could not store {} audit events (logged once while this lasts)", records, e);
        }
        health.report(HEALTH_NAME, Health.Level.DEGRADED, "audit events cannot be stored (" + reason + "); "
                + dropped.get() + " dropped so far");
    }

    private void recovered() {
        if (failing != null) {
            failing = null;
            LOG.info("audit events are stored again");
            health.clear(HEALTH_NAME);
        }
    }

    private void appendToLog(List<AuditStore.Event> events) {
        if (log == null) {
            return;
        }
        try {
            for (AuditStore.Event e : events) {
                log.write(e.version().json());
                log.write('\n');
            }
            log.flush();
        } catch (IOException e) {
            LOG.warn("could not append to the audit log file: {}", e.getMessage());
        }
    }

    /**
     * Stores what is queued, then stops; call before the store closes. Gives up after
     * {@link #CLOSE_WAIT_MILLIS}, logging how many records were not stored, so a stop never hangs.
     */
    @Override
    public void close() {
        closing = true;
        try {
            worker.join(CLOSE_WAIT_MILLIS);
            if (worker.isAlive()) {
                abandoned = true;
                LOG.warn("audit trail closed with {} records not stored", queue.size());
                worker.join(CLOSE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("could not close the audit log file", e);
            }
        }
    }
}
