package dev.fhirbolt.search.query;

import java.util.SortedSet;
import java.util.TreeSet;

/** :missing=true (no value for the parameter) or :missing=false (at least one). */
final class MissingClause implements Clause {

    private final String code;
    private final boolean missing;

    MissingClause(String code, boolean missing) {
        this.code = code;
        this.missing = missing;
    }

    @Override
    public SortedSet<String> scan(QueryContext q, String type) {
        var having = q.reader().idsWithAnyValue(code, type);
        if (!missing) {
            return new TreeSet<>(having);
        }
        SortedSet<String> all = q.allIds(type);
        all.removeAll(having);
        return all;
    }

    @Override
    public boolean test(QueryContext q, String type, String id) {
        return q.reader().values(type, id, code).isEmpty() == missing;
    }

    @Override
    public long estimate(QueryContext q, String type, long cap) {
        return cap;
    }
}
