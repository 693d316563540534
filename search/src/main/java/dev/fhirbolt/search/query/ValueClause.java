package dev.fhirbolt.search.query;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A parameter against a list of OR'd values, optionally negated (:not).
 *
 * <p>Checking candidates costs a storage seek each. When a clause has checked many, it tries reading its matches
 * whole instead (index steps, several times cheaper than seeks), within a number of entries that grows with the
 * candidates checked so far; so a range such as {@code date=ge...} that matches a few hundred resources stops
 * costing a seek per candidate of a large driver, and one that matches millions costs at most a bounded share more.
 */
final class ValueClause implements Clause {

    /** Beyond this many OR'd values, reading them all at once beats merging that many cursors. */
    private static final int MAX_MERGED = 32;
    /** Candidates checked one by one before the first try at reading the matches whole; each try is 4 times later. */
    static final int FIRST_READ_WHOLE_AT = 64;
    /** Index entries a try may read per candidate checked so far (a seek costs about 8 entries' steps). */
    static final int ENTRIES_PER_CHECK = 4;

    private final String code;
    private final List<Alternative> alternatives;
    private final boolean negate;
    private int checked;
    private int nextTry = FIRST_READ_WHOLE_AT;
    /** The ids matching the values (before negation), once read whole. */
    private Set<String> whole;

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

    /** Streams when it is a short list of whole values: one id-ordered index range each, merged. */
    @Override
    public boolean streams() {
        return !negate && fewExactValues();
    }

    private boolean fewExactValues() {
        int n = 0;
        for (Alternative alt : alternatives) {
            if (!alt.isExact()) {
                return false;
            }
            n += alt.exact().size();
        }
        return n <= MAX_MERGED;
    }

    @Override
    public IdStream stream(QueryContext q, String type) {
        if (!streams()) {
            return IdStream.of(scan(q, type));
        }
        List<IdStream> streams = new java.util.ArrayList<>();
        for (Alternative alt : alternatives) {
            for (byte[] v : alt.exact()) {
                streams.add(q.reader().valueStream(code, type, v));
            }
        }
        return streams.size() == 1 ? streams.get(0) : new MergedIdStream(streams);
    }

    @Override
    public boolean test(QueryContext q, String type, String id) {
        if (whole == null && ++checked >= nextTry) {
            nextTry *= 4;
            whole = readWhole(q, type, (long) ENTRIES_PER_CHECK * checked);
        }
        if (whole != null) {
            return whole.contains(id) != negate;
        }
        if (fewExactValues()) {
            for (Alternative alt : alternatives) {
                for (byte[] v : alt.exact()) {
                    if (q.reader().hasValue(type, id, code, v)) {
                        return !negate;
                    }
                }
            }
            return negate;
        }
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

    /** The ids with a matching value, or null when there are more than {@code cap} index entries to read. */
    private Set<String> readWhole(QueryContext q, String type, long cap) {
        Set<String> ids = new HashSet<>();
        long seen = 0;
        for (Alternative alt : alternatives) {
            seen += q.reader().scan(code, type, alt, ids, cap - seen);
            if (seen > cap) {
                return null;
            }
        }
        return ids;
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
