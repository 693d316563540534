package dev.fhirbolt.cluster;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import dev.fhirbolt.txlog.TxLog;
import dev.fhirbolt.txlog.TxLogUnavailableException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends commands to the log and waits until this node has applied them: the answer to a write is what this node's
 * own store made of it, in log order. A command larger than the log takes goes to the content store first and the
 * log carries its key. Every wait is bounded; a log or content store that does not answer is a 503.
 */
final class LogWriter {

    private final TxLog log;
    private final Optional<ContentStore> contents;
    /** Whether every command carrying resource contents goes to the content store before the log. */
    private final boolean addressContents;
    private final LogCodec codec;
    private final String nodeId;
    private final Duration applyTimeout;
    private final AtomicLong sequence = new AtomicLong();
    /** How long a write the log did not confirm waits to see whether it reached the log all the same. */
    private static final Duration UNCONFIRMED_GRACE = Duration.ofSeconds(2);
    private final ConcurrentHashMap<String, CompletableFuture<Object>> waiting = new ConcurrentHashMap<>();
    /**
     * Commands this node stored whole in the content store (too large for a record) whose requests are still waiting
     * for their apply, as decoded: this node's applier takes them from here instead of reading them back from the
     * store and decoding them.
     */
    private final ConcurrentHashMap<ContentRef.Key, LogCommand> storedHere = new ConcurrentHashMap<>();
    /**
     * This node's resource commands whose requests still wait for their apply, by request id, as a node decoding them
     * from the log gets them ({@link LogCodec#encodeResourceCommit}): this node's applier applies them without decoding.
     */
    private final ConcurrentHashMap<String, LogCommand> ownCommands = new ConcurrentHashMap<>();
    /** Present when commands carrying contents go to the content store: puts them there, several together. */
    private final Optional<ContentGroups> groups;
    /** What an addressed record adds to its command: kind, key, member. */
    private static final int ADDRESSED_OVERHEAD = 64;

    LogWriter(TxLog log, Optional<ContentStore> contents, boolean addressContents, LogCodec codec, String nodeId,
            Duration applyTimeout) {
        this.log = log;
        this.contents = contents;
        this.addressContents = addressContents && contents.isPresent();
        this.groups = this.addressContents ? contents.map(ContentGroups::new) : Optional.empty();
        this.codec = codec;
        this.nodeId = nodeId;
        this.applyTimeout = applyTimeout;
    }

    /** A request id unique in the cluster's lifetime: the node's id, its start and a counter. */
    String nextRequestId() {
        return nodeId + "/" + sequence.incrementAndGet();
    }

    /**
     * Logs a command and answers what applying it on this node gave (its outcome, or the exception every node
     * refused it with).
     */
    Object submit(LogCommand command) {
        CompletableFuture<Object> applied = new CompletableFuture<>();
        waiting.put(command.requestId(), applied);
        ContentRef.Key[] stored = new ContentRef.Key[1];
        try {
            try {
                append(command, stored);
            } catch (FhirException unconfirmed) {
                // a record the log did not confirm may still be in it: if this node applies it soon, that is the answer
                if (unconfirmed.status() != 503) {
                    throw unconfirmed;
                }
                try {
                    return applied.get(UNCONFIRMED_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillUnknown) {
                    throw unconfirmed;
                }
            }
            return applied.get(applyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new FhirException(500, IssueType.EXCEPTION, "the change failed on this node", null, e.getCause());
        } catch (TimeoutException e) {
            throw new FhirException(503, IssueType.TIMEOUT, "the change was sent to the transaction log but this node"
                    + " did not apply it within " + applyTimeout.toSeconds() + " s; it may still take effect");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirException(503, IssueType.TRANSIENT, "interrupted while waiting for the change to apply");
        } finally {
            waiting.remove(command.requestId());
            ownCommands.remove(command.requestId());
            if (stored[0] != null) {
                storedHere.remove(stored[0]);
            }
        }
    }

    /**
     * The command stored under {@code key} when this node stored it and its request still waits for the apply (so
     * the applier need not read back what this node just wrote); null otherwise.
     */
    LogCommand storedHere(byte[] key) {
        return storedHere.get(new ContentRef.Key(key));
    }

    /**
     * The resource command of {@code requestId} as decoded, when this node logged it and its request still waits
     * for the apply; null otherwise (also for a null id).
     */
    LogCommand ownCommand(String requestId) {
        return requestId == null ? null : ownCommands.get(requestId);
    }

    /** Called by the applier for every applied command: completes the request that logged it, if it is ours. */
    void applied(String requestId, Object outcome, Throwable failure) {
        CompletableFuture<Object> request = waiting.get(requestId);
        if (request == null) {
            return;
        }
        if (failure != null) {
            request.completeExceptionally(failure);
        } else {
            request.complete(outcome);
        }
    }

    /**
     * A command carrying resource contents (when this node keeps them in the content store) is put there first, and
     * the log record carries the whole command as well when it fits (other nodes then apply it without reading the
     * content store) with where it is stored: such commands waiting at the same moment are stored together, as one
     * value ({@link ContentGroups}). A command too large for a record is stored alone under the SHA-256 of its bytes
     * and the record carries only the key. Any other command larger than a record goes to the content store too.
     */
    private void append(LogCommand command, ContentRef.Key[] stored) throws InterruptedException {
        byte[] record;
        LogCommand decoded;
        if (command instanceof LogCommand.ResourceCommit c) {
            LogCodec.Encoded encoded = codec.encodeResourceCommit(c, true);
            record = encoded.bytes();
            decoded = encoded.decoded();
            ownCommands.put(c.requestId(), decoded);
        } else {
            record = codec.encode(command);
            decoded = null;
        }
        if (addressContents && carriesContents(command)) {
            if (record.length + ADDRESSED_OVERHEAD <= log.maxRecordBytes()) {
                ContentGroups.Placement placed = stored(groups.orElseThrow().put(record));
                record = codec.encode(new LogCommand.Addressed(placed.key(), placed.member(), record));
            } else {
                record = codec.encode(new LogCommand.Stored(storeWhole(record, decoded, stored)));
            }
        } else if (record.length > log.maxRecordBytes()) {
            record = codec.encode(new LogCommand.Stored(storeWhole(record, decoded, stored)));
        }
        try {
            log.append(record).get();
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        } catch (TxLogUnavailableException e) {
            throw unavailable(e);
        }
    }

    /**
     * Stores a command whole and remembers it as decoded ({@link #storedHere}) until its request is answered;
     * {@code decoded} is null for a command that is not a resource commit (it is decoded here, as the applier would).
     */
    private byte[] storeWhole(byte[] record, LogCommand decoded, ContentRef.Key[] stored) throws InterruptedException {
        byte[] key = store(record);
        stored[0] = new ContentRef.Key(key);
        storedHere.put(stored[0], decoded != null ? decoded : codec.decode(record));
        return key;
    }

    private byte[] store(byte[] record) throws InterruptedException {
        ContentStore store = contents.orElseThrow(() -> new FhirException(413, IssueType.TOO_COSTLY, "this change is "
                + record.length + " bytes, more than the transaction log takes (" + log.maxRecordBytes()
                + "), and no content store is configured for larger ones"));
        byte[] key = sha256(record);
        stored(store.put(key, record));
        return key;
    }

    /** Waits for a put (bounded by the store's own request timeout); a store that fails it is a 503. */
    private static <T> T stored(CompletableFuture<T> put) throws InterruptedException {
        try {
            return put.get();
        } catch (ExecutionException e) {
            throw new FhirException(503, IssueType.TRANSIENT, "the content store is unavailable: "
                    + e.getCause().getMessage(), null, e.getCause());
        } catch (ContentStoreUnavailableException e) {
            throw new FhirException(503, IssueType.TRANSIENT, "the content store is unavailable: " + e.getMessage(),
                    null, e);
        }
    }

    private static boolean carriesContents(LogCommand command) {
        return command instanceof LogCommand.ResourceCommit c
                && c.commit().writes().stream().anyMatch(w -> w.body() != null);
    }

    private static FhirException unavailable(Throwable cause) {
        return new FhirException(503, IssueType.TRANSIENT, "the transaction log did not confirm the change ("
                + (cause == null ? "unavailable" : cause.getMessage()) + "); it was probably not made, but may still"
                + " take effect: read before you retry a create", null, cause);
    }

    /** Whether a request of this node still waits for the command of {@code requestId} to be applied here. */
    boolean awaits(String requestId) {
        return waiting.containsKey(requestId);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
