package dev.fhirbolt.search.query;

import java.util.SortedSet;

/** One AND term of a search on one type: answered from the indexes, never by loading resources. */
public interface Clause {

    /** Every matching id of the type, in id order. */
    SortedSet<String> scan(QueryContext q, String type);

    /** Whether one candidate matches. */
    boolean test(QueryContext q, String type, String id);

    /** Roughly how many index entries a scan reads, counted up to {@code cap}. */
    long estimate(QueryContext q, String type, long cap);

    /** What reading one of the entries {@link #estimate} counts costs, in index steps (a seek is about 8). */
    default int scanCostPerEntry() {
        return 1;
    }

    /** Whether {@link #stream} reads the indexes lazily in id order instead of computing every match first. */
    default boolean streams() {
        return false;
    }

    /** The matching ids in id order; lazily when {@link #streams()}. */
    default IdStream stream(QueryContext q, String type) {
        return IdStream.of(scan(q, type));
    }
}
