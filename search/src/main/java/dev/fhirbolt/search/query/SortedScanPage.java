package dev.fhirbolt.search.query;

import java.util.ArrayList;
import java.util.List;

/**
 * A page of a search with one _sort key on one type, read in the order asked ({@link SortOrder}): each resource there
 * is checked against every clause until the page is full. Resources without a value sort last; they are found by
 * walking the plan's matches in id order. When the clauses are selective, walking the sort order would examine many
 * resources per hit: when a short probe does not fill the page and the matches turn out to be few, or past a budget,
 * the caller falls back to collecting and sorting the matches.
 */
public final class SortedScanPage {

    /** Matches this few are cheaper to collect and sort than to find in sort order. */
    static final long COLLECT_BELOW = Planner.QUICK_CAP;
    /** Candidates per hit a sorted scan examines before it checks whether the matches are few. */
    static final long PROBE_PER_HIT = 16;
    /** Candidates a sorted scan may examine before collecting and sorting is taken as cheaper. */
    static final long BUDGET = 4_000;

    private SortedScanPage() {
    }

    /** The page, or null when the clauses are too selective for a sorted scan (collect and sort instead). */
    public static PageHits read(QueryContext q, String type, Planner.Plan plan, List<Clause> clauses,
            ResultParams.SortKey key, int count, Hit after) {
        // first a short probe; if it does not fill the page, count the matches (a few hundred at most) to decide
        long budget = clauses.isEmpty() ? Long.MAX_VALUE : PROBE_PER_HIT * (count + 1L);
        boolean decided = clauses.isEmpty();
        List<Hit> hits = new ArrayList<>(Math.min(count, 256) + 1);
        boolean inMissing = after != null && after.keys()[0] == null;
        if (!inMissing) {
            SortOrder order = SortOrder.of(q, type, key, after);
            long examined = 0;
            for (Hit next = order.next(); next != null; next = order.next()) {
                if (++examined > budget) {
                    if (decided || plan.driverSize(q, type, COLLECT_BELOW) < COLLECT_BELOW) {
                        return null;
                    }
                    decided = true;
                    budget = BUDGET;
                }
                if (passesAll(q, type, clauses, next.id())) {
                    if (hits.size() == count) {
                        return new PageHits(hits, true, after != null, -1);
                    }
                    hits.add(next);
                }
            }
            if (!order.missingPossible()) {
                return new PageHits(hits, false, after != null, after == null ? hits.size() : -1);
            }
        }
        MatchScan missing = new MatchScan(q, type, plan);
        if (inMissing) {
            missing.seekAfter(after.id());
        }
        for (String id = missing.next(); id != null; id = missing.next()) {
            if (q.reader().sortKey(type, id, key.code(), key.descending()) == null) {
                if (hits.size() == count) {
                    return new PageHits(hits, true, after != null, -1);
                }
                hits.add(new Hit(type, id, new byte[][] {null}));
            }
        }
        return new PageHits(hits, false, after != null, after == null ? hits.size() : -1);
    }

    private static boolean passesAll(QueryContext q, String type, List<Clause> clauses, String id) {
        for (Clause clause : clauses) {
            if (!clause.test(q, type, id)) {
                return false;
            }
        }
        return true;
    }
}
