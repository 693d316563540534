package dev.fhirbolt.database;

/**
 * Told about every durable batch the commit pipeline writes, so that metrics can be kept without this module
 * naming a metrics library. Called on the writer thread: implementations must be quick and must not throw.
 */
public interface CommitObserver {

    CommitObserver NONE = (commits, writeNanos) -> { };

    /**
     * A group of commits became durable in one write.
     *
     * @param commits    how many commits (and refreshes) the batch held
     * @param writeNanos how long the durable write (fsync included) took
     */
    void batchWritten(int commits, long writeNanos);
}
