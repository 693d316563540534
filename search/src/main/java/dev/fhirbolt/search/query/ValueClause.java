package dev.fhirbolt.search.query;

import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A parameter against a list of OR'd values, optionally negated (:not).
 *
 * <p>Checking a candidate costs a storage seek. A clause that has checked many candidates also starts reading its
 * matches whole from search-value (index steps, several times cheaper than seeks), a few entries per candidate
 * checked, as long as few candidates match (a clause most candidates match is likely to match much of the type), and
 * once it has read them all it checks by membership: a range such as {@code date=ge...} matching a few thousand
 * resources then stops costing a seek per candidate of a large driver, and one matching millions costs a bounded
 * share more than checking alone.
 */
final class ValueClause implements Clause {

    /** Beyond this many OR'd values, reading them all at once beats merging that many cursors. */
    static final int MAX_MERGED = 32;
    /** Candidates checked one by one before reading the matches whole begins. */
    static final int READ_WHOLE_AFTER = 64;
    /** Index entries read per candidate checked (a check costs a seek, about 8 entries' steps). */
    static final int ENTRIES_PER_CHECK = 4;
    /** Entries read at a time once reading has begun (each part costs a seek to go on). */
    static final int PART = 64;
    /** Reading goes on only while at most one candidate in this many has a matching value. */
    static final int FEW_MATCHING = 4;

    private final String code;
    private final List<Alternative> alternatives;
    private final boolean negate;
    private long checked;
    private long matchedValues;
    private long credit;
    private PartialRead reading;
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

    String code() {
        return code;
    }

    /** The OR'd values, or null when the clause is negated. */
    List<Alternative> alternatives() {
        return negate ? null : alternatives;
    }

    /** The values this clause asks for, any of them exactly, or null when it is negated or not a short list of those. */
    List<byte[]> exactValues() {
        if (negate || !fewExactValues()) {
            return null;
        }
        List<byte[]> out = new java.util.ArrayList<>();
        for (Alternative alt : alternatives) {
            out.addAll(alt.exact());
        }
        return out;
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
                q.reader().valueStreams(code, type, v, streams);
            }
        }
        return streams.size() == 1 ? streams.get(0) : new MergedIdStream(streams);
    }

    @Override
    public boolean test(QueryContext q, String type, String id) {
        if (whole != null) {
            return whole.contains(id) != negate;
        }
        boolean any = hasMatchingValue(q, type, id);
        checked++;
        if (any) {
            matchedValues++;
        }
        readOn(q, type);
        return any != negate;
    }

    private boolean hasMatchingValue(QueryContext q, String type, String id) {
        if (fewExactValues()) {
            for (Alternative alt : alternatives) {
                for (byte[] v : alt.exact()) {
                    if (q.reader().hasValue(type, id, code, v)) {
                        return true;
                    }
                }
            }
            return false;
        }
        for (byte[] v : q.reader().values(type, id, code)) {
            for (Alternative alt : alternatives) {
                if (alt.test().test(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Credits one check and, when enough has built up, reads on; the first part comes after many checks. Only while
     * few candidates have a matching value: when most have, the values match much of the type, too many to read
     * for the checks they would save.
     */
    private void readOn(QueryContext q, String type) {
        credit += ENTRIES_PER_CHECK;
        if (credit < (reading == null ? (long) READ_WHOLE_AFTER * ENTRIES_PER_CHECK : PART)
                || matchedValues * FEW_MATCHING > checked) {
            return;
        }
        if (reading == null) {
            reading = new PartialRead(code, alternatives);
        }
        whole = reading.readOn(q, type, credit);
        credit = 0;
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
