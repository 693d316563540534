package dev.fhirbolt.search.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;

/**
 * Orders the clauses of a search by how many index entries they would read and starts from the most selective one;
 * later clauses either check each remaining candidate (a seek each) or, when that would cost more, scan and intersect.
 */
public final class Planner {

    private static final long ESTIMATE_CAP = 20_000;

    private Planner() {
    }

    public static SortedSet<String> run(QueryContext q, String type, List<Clause> clauses) {
        if (clauses.isEmpty()) {
            return q.allIds(type);
        }
        record Costed(Clause clause, long cost) {
        }
        List<Costed> costed = new ArrayList<>();
        long best = ESTIMATE_CAP;
        for (Clause c : clauses) {
            // counting stops a little past the best so far: beyond that only "large" matters
            long cost = c.estimate(q, type, Math.min(ESTIMATE_CAP, 2 * best + 64));
            costed.add(new Costed(c, cost));
            best = Math.min(best, cost);
        }
        costed.sort(Comparator.comparingLong(Costed::cost));
        SortedSet<String> candidates = costed.get(0).clause().scan(q, type);
        for (int i = 1; i < costed.size() && !candidates.isEmpty(); i++) {
            Clause clause = costed.get(i).clause();
            if (candidates.size() * 2L <= costed.get(i).cost()) {
                candidates.removeIf(id -> !clause.test(q, type, id));
            } else {
                candidates.retainAll(clause.scan(q, type));
            }
        }
        return candidates;
    }
}
