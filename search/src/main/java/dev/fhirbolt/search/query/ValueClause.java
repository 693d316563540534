package dev.fhirbolt.search.query;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** A parameter against a list of OR'd values, optionally negated (:not). */
final class ValueClause implements Clause {

    private final String code;
    private final List<Alternative> alternatives;
    private final boolean negate;

    ValueClause(String code, List<Alternative> alternatives, boolean negate) {
        this.code = code;
        this.alternatives = alternatives;
        this.negate = negate;
    }

    @Override
    public SortedSet<String> scan(QueryContext q, String type) {
        SortedSet<String> matched = new TreeSet<>();
        for (Alternative alt : alternatives) {
            q.reader().scan(code, type, alt, matched, Long.MAX_VALUE);
        }
        if (!negate) {
            return matched;
        }
        SortedSet<String> all = q.allIds(type);
        all.removeAll(matched);
        return all;
    }

    @Override
    public boolean test(QueryContext q, String type, String id) {
        boolean any = false;
        for (byte[] v : q.reader().values(type, id, code)) {
            for (Alternative alt : alternatives) {
                if (alt.test().test(v)) {
                    any = true;
                    break;
                }
            }
            if (any) {
                break;
            }
        }
        return any != negate;
    }

    @Override
    public long estimate(QueryContext q, String type, long cap) {
        if (negate) {
            return cap;
        }
        long total = 0;
        for (Alternative alt : alternatives) {
            total += q.reader().scan(code, type, alt, null, cap - total);
            if (total >= cap) {
                return cap;
            }
        }
        return total;
    }
}
