package dev.fhirbolt.search;

/**
 * Hears of every search the engine answered (register with {@link SearchEngine#observe}), for metrics. Called on the
 * searching thread: implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface SearchObserver {

    /**
     * @param indexEntriesRead index entries read to answer it: point reads, seeks and cursor steps
     * @param matchesReturned  the matches on the page answered (includes not counted)
     * @param nanos            the time the search took
     */
    void searched(long indexEntriesRead, int matchesReturned, long nanos);
}
