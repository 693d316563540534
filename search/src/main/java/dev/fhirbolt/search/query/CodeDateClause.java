package dev.fhirbolt.search.query;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * {@code code=system|c} AND {@code date=...}, read from search-code-date: one range scan per code value and date
 * range that meets only the resources with both, so the work follows the matches rather than the code's resources.
 * The matches come out of the scan in date order and are sorted by id once; {@link CodeDateClauses} uses this clause
 * only when they are few.
 */
final class CodeDateClause implements Clause {

    private final ValueClause token;
    private final ValueClause date;
    private final List<byte[]> values;
    private SortedSet<String> matches;

    CodeDateClause(ValueClause token, ValueClause date, List<byte[]> values) {
        this.token = token;
        this.date = date;
        this.values = values;
    }

    @Override
    public SortedSet<String> scan(QueryContext q, String type) {
        if (matches == null) {
            matches = new TreeSet<>();
            read(q, type, matches, Long.MAX_VALUE);
        }
        return new TreeSet<>(matches);
    }

    @Override
    public boolean test(QueryContext q, String type, String id) {
        if (matches != null) {
            return matches.contains(id);
        }
        return token.test(q, type, id) && date.test(q, type, id);
    }

    @Override
    public long estimate(QueryContext q, String type, long cap) {
        return read(q, type, null, cap);
    }

    /** Reads the entries of every value and date range (up to {@code cap}), adding the matching ids to {@code out}. */
    private long read(QueryContext q, String type, SortedSet<String> out, long cap) {
        long n = 0;
        for (byte[] v : values) {
            for (Alternative alt : date.alternatives()) {
                n += q.reader().scanCodeDate(type, token.code(), v, alt, out, cap - n);
                if (n >= cap) {
                    return cap;
                }
            }
        }
        return n;
    }
}
