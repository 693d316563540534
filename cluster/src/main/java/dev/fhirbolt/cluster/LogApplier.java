package dev.fhirbolt.cluster;

import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.txlog.TxLog;
import dev.fhirbolt.txlog.TxLogReader;
import dev.fhirbolt.txlog.TxLogRecord;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the transaction log to this node's store, in log order, in one thread: resource commits through the
 * store's commit pipeline (several in flight, so that they share one write), key-value changes once everything before
 * them is applied. Neither is synced to disk (the log holds them durably): a node resumes after the last position its
 * store holds, whatever a crash left of its unsynced writes, so a restarted node catches up by itself; the same
 * records applied in the same order give every node the same state.
 */
final class LogApplier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogApplier.class);
    /** The position of the last key-value change applied (resource commits keep theirs in the resource store). */
    static final Keyspace META = new Keyspace("cluster-meta");
    private static final byte[] LAST_KV_POSITION = Bytes.utf8("last-kv-position");
    private static final Duration POLL = Duration.ofMillis(200);

    private final TxLog log;
    private final Optional<ContentStore> contents;
    /** Present when this node keeps references to the content store instead of resource contents. */
    private final Optional<ContentCache> cache;
    private final LogCodec codec;
    private final ResourceStore store;
    private final KvStore kv;
    private final LogWriter writer;
    private final ClusterHealth health;
    private final RefusedContents refusedContents;
    private final Thread thread;
    private final Object progress = new Object();
    private volatile long appliedPosition;
    private volatile boolean stopped;
    private volatile Throwable storeFailure;
    /** Resource commits handed to the store and maybe not finished (only the applier thread touches it). */
    private final java.util.ArrayDeque<CompletableFuture<?>> inFlight = new java.util.ArrayDeque<>();

    LogApplier(TxLog log, Optional<ContentStore> contents, Optional<ContentCache> cache, LogCodec codec,
            ResourceStore store, KvStore kv, LogWriter writer, ClusterHealth health) {
        this.log = log;
        this.contents = contents;
        this.cache = cache;
        this.codec = codec;
        this.store = store;
        this.kv = kv;
        this.writer = writer;
        this.health = health;
        this.refusedContents = new RefusedContents(contents, writer::awaits);
        this.appliedPosition = durablePosition();
        this.thread = Thread.ofPlatform().name("fhirbolt-log-applier").daemon(true).unstarted(this::run);
    }

    /** The position up to which this node's store holds the log's effects (with the effects: one batch). */
    private long durablePosition() {
        long kvPosition = kv.get(META, LAST_KV_POSITION).map(v -> ByteBuffer.wrap(v).getLong()).orElse(-1L);
        return Math.max(store.lastPosition(), kvPosition);
    }

    static List<Keyspace> keyspaces() {
        return List.of(META);
    }

    void start() {
        thread.start();
    }

    /** The position up to which this node has applied the log (durable and visible to reads). */
    long appliedPosition() {
        return appliedPosition;
    }

    /** Waits until every record up to {@code position} is applied here; false when that took longer than allowed. */
    boolean awaitApplied(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (appliedPosition < position) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopped) {
                    return false;
                }
                progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return true;
    }

    private void run() {
        TxLogReader reader = null;
        boolean troubled = false;
        while (!stopped) {
            try {
                if (reader == null) {
                    reader = log.read(appliedPosition);
                }
                for (TxLogRecord record : reader.poll(POLL)) {
                    apply(record);
                    throwIfStoreFailed();
                }
                throwIfStoreFailed();
                if (troubled) {
                    troubled = false;
                    health.healthy();
                    LOG.info("applying the transaction log again from position {}", appliedPosition);
                }
            } catch (RuntimeException e) {
                if (stopped) {
                    break;
                }
                troubled = true;
                health.degraded("applying the transaction log after position " + appliedPosition + " failed: "
                        + e.getMessage());
                LOG.warn("applying the transaction log failed after position {}; retrying", appliedPosition, e);
                closeQuietly(reader);
                reader = null;
                rewind();
                pause();
            } catch (Error e) {
                health.degraded("the log applier stopped: " + e);
                LOG.error("the log applier stopped at position {}", appliedPosition, e);
                stopped = true;
                throw e;
            }
        }
        closeQuietly(reader);
    }

    private void apply(TxLogRecord record) {
        // this node's own resource commands are applied as logged, without decoding (LogWriter.ownCommand)
        LogCommand command = writer.ownCommand(LogCodec.requestIdOf(record.payload()));
        if (command == null) {
            command = codec.decode(record.payload());
        }
        byte[] contentKey = null; // where the command is in the content store, if it is
        // a command the record carries whole: its content-store value may be freed if every node refuses it and no
        // other command shares that value (see storedAlone)
        LogCommand.Addressed carried = command instanceof LogCommand.Addressed a ? a : null;
        int member = 0; // which command of the value stored under contentKey
        if (command instanceof LogCommand.Stored stored) {
            contentKey = stored.key();
            LogCommand own = writer.storedHere(stored.key());
            command = own != null ? own : codec.decode(fetch(stored.key()));
        } else if (command instanceof LogCommand.Addressed addressed) {
            contentKey = addressed.key();
            member = addressed.member();
            LogCommand own = writer.ownCommand(LogCodec.requestIdOf(addressed.command()));
            command = own != null ? own : codec.decode(addressed.command());
        }
        long position = record.position();
        switch (command) {
            case LogCommand.ResourceCommit c -> {
                Commit commit = contentKey != null && cache.isPresent()
                        ? cache.get().referenced(contentKey, member, c.commit()) : c.commit();
                commit = commit.replicated(commit.replication().atPosition(position));
                while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
                    inFlight.pollFirst();
                }
                inFlight.add(store.apply(commit).whenComplete((outcomes, failure) -> {
                    Throwable cause = unwrap(failure);
                    if (cause != null && !isRefusal(cause)) {
                        storeFailure = cause; // not applied: this node must not move past it
                        return;
                    }
                    advanceTo(position);
                    if (cause != null && carried != null && storedAlone(carried)) {
                        refusedContents.refused(c.requestId(), carried.key());
                    }
                    writer.applied(c.requestId(), outcomes, cause);
                }));
            }
            case LogCommand.KvChange c -> {
                waitForPending();
                boolean holds = c.preconditions().stream().allMatch(p -> p.holdsFor(kv.get(p.keyspace(), p.key())));
                KvBatch batch = holds ? new KvBatch().addAll(c.batch()) : new KvBatch();
                batch.put(META, LAST_KV_POSITION, ByteBuffer.allocate(8).putLong(position).array());
                kv.write(batch, false);
                advanceTo(position);
                writer.applied(c.requestId(), holds, null);
            }
            case LogCommand.Stored s -> throw new IllegalStateException("a stored command refers to another one");
            case LogCommand.Addressed a -> throw new IllegalStateException("an addressed command holds another one");
        }
    }

    /**
     * Whether the content-store value of an addressed command holds that command alone: a value holding a group of
     * commands ({@link ContentGroups}) is shared with the others, whose references may point at it, so it is never
     * freed. Only asked of refused commands, so the hash costs nothing on the common path.
     */
    private static boolean storedAlone(LogCommand.Addressed carried) {
        return carried.member() == 0 && Arrays.equals(LogWriter.sha256(carried.command()), carried.key());
    }

    /**
     * Whether a commit was refused by its checks (a version conflict, a stale plan): the same on every node, an
     * outcome like a success. Anything else (a full disk) is this node's own trouble, to retry.
     */
    private static boolean isRefusal(Throwable failure) {
        return failure instanceof dev.fhirbolt.common.FhirException f && f.status() < 500;
    }

    private void throwIfStoreFailed() {
        Throwable failure = storeFailure;
        if (failure != null) {
            throw new IllegalStateException("the store could not apply a commit: " + failure.getMessage(), failure);
        }
    }

    /** After a failure: waits for what is in flight and goes back to what the store holds durably. */
    private void rewind() {
        waitForPending();
        storeFailure = null;
        synchronized (progress) {
            appliedPosition = durablePosition();
        }
    }

    /** A command kept in the content store; waits out an unavailable store (the log cannot move on without it). */
    private byte[] fetch(byte[] key) {
        ContentStore store = contents.orElseThrow(() -> new IllegalStateException(
                "the log refers to the content store, and none is configured on this node"));
        while (true) {
            try {
                return store.get(key).get(30, TimeUnit.SECONDS).orElseThrow(() -> new IllegalStateException(
                        "the content store lacks a command the log refers to"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (stopped) {
                    throw new IllegalStateException("stopped");
                }
                health.degraded("the content store does not answer: " + e);
                pause();
            }
        }
    }

    private void advanceTo(long position) {
        synchronized (progress) {
            if (position > appliedPosition) {
                appliedPosition = position;
            }
            progress.notifyAll();
        }
    }

    private void waitForPending() {
        for (CompletableFuture<?> commit; (commit = inFlight.pollFirst()) != null; ) {
            try {
                commit.join();
            } catch (RuntimeException e) {
                // a refused commit is an outcome like any other, and a failed one is retried: both are handled
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    private void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(TxLogReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a log reader failed", e);
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }
}
