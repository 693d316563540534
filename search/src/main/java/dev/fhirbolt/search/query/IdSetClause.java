package dev.fhirbolt.search.query;

import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A clause whose matches are computed as a set once (chains, _has, _list, compartments): the set is resolved through
 * the indexes on first use and then tested by membership.
 */
final class IdSetClause implements Clause {

    private final Function<String, SortedSet<String>> resolver;
    private SortedSet<String> ids;

    IdSetClause(Function<String, SortedSet<String>> resolver) {
        this.resolver = resolver;
    }

    private SortedSet<String> ids(String type) {
        if (ids == null) {
            ids = resolver.apply(type);
        }
        return ids;
    }

    @Override
    public SortedSet<String> scan(QueryContext q, String type) {
        return new TreeSet<>(ids(type));
    }

    @Override
    public boolean test(QueryContext q, String type, String id) {
        return ids(type).contains(id);
    }

    /** The set is computed once; walking it in order costs nothing more. */
    @Override
    public boolean streams() {
        return true;
    }

    @Override
    public IdStream stream(QueryContext q, String type) {
        return IdStream.of(ids(type));
    }

    @Override
    public long estimate(QueryContext q, String type, long cap) {
        return Math.min(cap, ids(type).size());
    }
}
