package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reverse chaining (_has:Source:refParam:inner=value) on one type: the ids that some Source matching the inner search
 * references through refParam. The inner search runs once (index steps only). From there it can go either way:
 * {@link #scan} reads the reference of every inner match (a seek each), which suits few inner matches; {@link #test}
 * checks one candidate by walking the Sources that reference it until one is an inner match, which suits many inner
 * matches and few candidates (the planner drives from the type's ids then, and the page stops the walk early).
 */
final class HasClause implements Clause {

    /** A scan reads one reference per inner match, and each costs a seek: about this many index steps. */
    static final int SCAN_COST_PER_ENTRY = 8;

    private final String source;
    private final String refParam;
    private final Map<String, List<String>> inner;
    private Set<String> innerIds;
    private SortedSet<String> referenced;

    HasClause(String source, String refParam, Map<String, List<String>> inner) {
        this.source = source;
        this.refParam = refParam;
        this.inner = inner;
    }

    private Set<String> innerIds(QueryContext q) {
        if (innerIds == null) {
            innerIds = new HashSet<>(q.subSearch().ids(source, inner));
        }
        return innerIds;
    }

    @Override
    public SortedSet<String> scan(QueryContext q, String type) {
        if (referenced == null) {
            referenced = new TreeSet<>();
            for (String sourceId : new TreeSet<>(innerIds(q))) {
                for (byte[] v : q.reader().values(source, sourceId, refParam)) {
                    ClauseFactory.addLocal(v, type, referenced);
                }
            }
        }
        return new TreeSet<>(referenced);
    }

    @Override
    public boolean test(QueryContext q, String type, String id) {
        if (referenced != null) {
            return referenced.contains(id);
        }
        Set<String> ids = innerIds(q);
        return !ids.isEmpty() && q.reader().anyWithValue(refParam, source,
                Encoded.strings(Encoded.LOCAL_REF, type + "/" + id), ids);
    }

    /** The inner matches: an upper bound of the ids a scan finds when each Source references one resource. */
    @Override
    public long estimate(QueryContext q, String type, long cap) {
        return Math.min(cap, innerIds(q).size());
    }

    @Override
    public int scanCostPerEntry() {
        return SCAN_COST_PER_ENTRY;
    }
}
