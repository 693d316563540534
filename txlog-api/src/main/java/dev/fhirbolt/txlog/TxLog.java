package dev.fhirbolt.txlog;

import java.util.concurrent.CompletableFuture;

/**
 * The cluster's ordered transaction log: one total order of records that every node reads and applies in the same
 * order. Positions grow with every record; they need not be contiguous.
 */
public interface TxLog extends AutoCloseable {

    /** The largest record {@link #append} takes; callers put larger payloads elsewhere and log a reference. */
    int maxRecordBytes();

    /**
     * Appends one record. Completes with its position once it is durable as configured (replicated to enough
     * brokers), or exceptionally with {@link TxLogUnavailableException} within the configured timeout when the log
     * cannot take it. Records appended through one instance keep their order. A record larger than
     * {@link #maxRecordBytes()} is refused with {@link IllegalArgumentException}.
     */
    CompletableFuture<Long> append(byte[] record);

    /** A reader of the records whose position is greater than {@code after} ({@code -1} reads from the start). */
    TxLogReader read(long after);

    /**
     * The position of the last record in the log, {@code -1} when there is none: a reader that has seen it has seen
     * everything appended before this call. Waits at most the configured timeout, then throws
     * {@link TxLogUnavailableException}.
     */
    long lastPosition();

    @Override
    void close();
}
