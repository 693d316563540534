package dev.fhirbolt.authz.audit;

import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.KvEntry;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.database.WriteOutcome;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.rest.IdGenerator;
import dev.fhirbolt.search.SearchIndexer;
import dev.fhirbolt.search.SearchParameterRegistry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail. {@link #record} puts what a request captured on a small bounded queue; one background thread
 * turns it into an AuditEvent — its JSON written directly ({@link AuditEventJson}) and its search index entries
 * computed directly ({@link AuditEventIndex}), so {@code AuditEvent?...} works — and commits them in batches
 * through the {@link ResourceStore}; it optionally appends each stored event as a line of JSON to a log file.
 *
 * <p>Every access must leave an AuditEvent, so nothing is dropped or merged when the writer falls behind: a request
 * that finds the queue full waits for room (backpressure), which bounds memory and keeps the writer, one thread
 * among the many request threads, from being starved. Only a writer stuck for {@link #FULL_QUEUE_WAIT_MILLIS}
 * (a broken store) makes records be dropped, counted and logged.
 */
public final class AuditTrail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private static final String TYPE = "AuditEvent";
    private static final int QUEUE = 4_096;
    /** A commit's size while serving: big enough to share a commit's fixed cost, small enough for a flat heap. */
    private static final long BATCH_BYTES = 1L << 20;
    /** At shutdown what is queued goes in bigger commits. */
    private static final long CLOSING_BATCH_BYTES = 16L << 20;
    /**
     * Batches handed to the store and not yet durable: while one waits for its fsync the next is prepared, and the
     * store's group commit makes them durable together.
     */
    private static final int MAX_IN_FLIGHT = 4;
    private static final long FULL_QUEUE_WAIT_MILLIS = 10_000;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final ResourceStore store;
    private final AuditEventIndex index;
    private final String site;
    private final OutputStream log;
    private final BlockingQueue<Auditable> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final Thread worker;
    private volatile boolean closing;
    /** Set when closing took too long: the writer finishes what the store has and stores nothing more. */
    private volatile boolean abandoned;

    /**
     * @param site    the server's base URL (AuditEvent.source.site)
     * @param logFile where to append each event as a line of JSON, or null
     */
    public AuditTrail(ResourceStore store, SearchParameterRegistry registry, String site, Path logFile)
            throws IOException {
        this.store = store;
        this.index = new AuditEventIndex(registry);
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
        this.worker = Thread.ofPlatform().name("fhirbolt-audit").daemon(true).start(this::run);
    }

    /** Queues a record; waits for room when the queue is full. */
    public void record(Auditable a) {
        submitted.incrementAndGet();
        if (!closing) {
            try {
                if (queue.offer(a) || queue.offer(a, FULL_QUEUE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
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

    /** A batch handed to the store, and how many queued records it accounts for. */
    private record InFlight(CompletableFuture<List<WriteOutcome>> outcomes, int records) {
    }

    private void run() {
        Deque<InFlight> inFlight = new ArrayDeque<>();
        while (true) {
            if (abandoned) {
                inFlight.forEach(this::finish);
                return;
            }
            Auditable first;
            try {
                first = queue.poll(inFlight.isEmpty() ? 100 : 2, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first != null) {
                inFlight.add(writeBatch(first));
            } else if (inFlight.isEmpty() && closing) {
                return;
            }
            while (!inFlight.isEmpty() && (inFlight.peek().outcomes().isDone() || inFlight.size() > MAX_IN_FLIGHT
                    || first == null)) {
                finish(inFlight.poll());
            }
        }
    }

    /** Hands {@code first} and what is queued behind it, up to a batch's bytes, to the store. */
    private InFlight writeBatch(Auditable first) {
        long limit = closing ? CLOSING_BATCH_BYTES : BATCH_BYTES;
        List<Write> writes = new ArrayList<>();
        long bytes = 0;
        int taken = 0;
        for (Auditable next = first; next != null; next = bytes < limit ? queue.poll() : null) {
            taken++;
            try {
                String id = IdGenerator.next();
                AuditEventContent content = AuditEventContent.of(next.toRecord(), site);
                byte[] json = AuditEventJson.write(id, content);
                List<KvEntry> entries = index.entries(id, content);
                writes.add(new Write(WriteMethod.CREATE, TYPE, id, Expectation.ABSENT, StampableJson.ofEncoded(json),
                        SearchIndexer.withLastUpdated(TYPE, id, entries)));
                bytes += json.length;
                for (KvEntry e : entries) {
                    bytes += e.key().length + e.value().length;
                }
            } catch (RuntimeException e) {
                LOG.error("could not turn an audit record into an AuditEvent: {}", next, e);
            }
        }
        return new InFlight(store.commitAsync(new Commit(writes)), taken);
    }

    /** Waits for a batch to be durable, then appends it to the log file. */
    private void finish(InFlight batch) {
        try {
            appendToLog(batch.outcomes().join());
        } catch (RuntimeException e) {
            LOG.error("could not store {} audit events", batch.records(), e.getCause() == null ? e : e.getCause());
        } finally {
            done.addAndGet(batch.records());
        }
    }

    private void appendToLog(List<WriteOutcome> outcomes) {
        if (log == null) {
            return;
        }
        try {
            for (WriteOutcome o : outcomes) {
                log.write(o.version().json());
                log.write('\n');
            }
            log.flush();
        } catch (IOException e) {
            LOG.warn("could not append to the audit log file: {}", e.getMessage());
        }
    }

    /**
     * Stores what is queued, in big commits, then stops; call before the store closes. Gives up after
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
