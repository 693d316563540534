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
    private final LogCodec codec;
    private final String nodeId;
    private final Duration applyTimeout;
    private final AtomicLong sequence = new AtomicLong();
    /** How long a write the log did not confirm waits to see whether it reached the log all the same. */
    private static final Duration UNCONFIRMED_GRACE = Duration.ofSeconds(2);
    private final ConcurrentHashMap<String, CompletableFuture<Object>> waiting = new ConcurrentHashMap<>();

    LogWriter(TxLog log, Optional<ContentStore> contents, LogCodec codec, String nodeId, Duration applyTimeout) {
        this.log = log;
        this.contents = contents;
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
        try {
            try {
                append(codec.encode(command));
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
        }
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

    private void append(byte[] record) throws InterruptedException {
        if (record.length > log.maxRecordBytes()) {
            record = codec.encode(new LogCommand.Stored(store(record)));
        }
        try {
            log.append(record).get();
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        } catch (TxLogUnavailableException e) {
            throw unavailable(e);
        }
    }

    private byte[] store(byte[] record) throws InterruptedException {
        ContentStore store = contents.orElseThrow(() -> new FhirException(413, IssueType.TOO_COSTLY, "this change is "
                + record.length + " bytes, more than the transaction log takes (" + log.maxRecordBytes()
                + "), and no content store is configured for larger ones"));
        byte[] key = sha256(record);
        try {
            store.put(key, record).get();
        } catch (ExecutionException e) {
            throw new FhirException(503, IssueType.TRANSIENT, "the content store is unavailable: "
                    + e.getCause().getMessage(), null, e.getCause());
        } catch (ContentStoreUnavailableException e) {
            throw new FhirException(503, IssueType.TRANSIENT, "the content store is unavailable: " + e.getMessage(),
                    null, e);
        }
        return key;
    }

    private static FhirException unavailable(Throwable cause) {
        return new FhirException(503, IssueType.TRANSIENT, "the transaction log did not confirm the change ("
                + (cause == null ? "unavailable" : cause.getMessage()) + "); it was probably not made, but may still"
                + " take effect: read before you retry a create", null, cause);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
