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
}
