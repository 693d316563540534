package dev.fhirbolt.txlog;

import java.time.Duration;
import java.util.List;

/** Reads records in log order. One thread uses a reader at a time. */
public interface TxLogReader extends AutoCloseable {

    /**
     * The next records in order, or an empty list when none arrived within {@code timeout}. Throws
     * {@link TxLogUnavailableException} when the log cannot be read (the caller retries; the reader keeps its place).
     */
    List<TxLogRecord> poll(Duration timeout);

    @Override
    void close();
}
