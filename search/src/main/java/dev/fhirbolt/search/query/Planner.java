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

    static final long ESTIMATE_CAP = 20_000;

    private Planner() {
    }

    /**
     * How one type's matches are read: ids come from the driver in id order (every id of the type when it is null)
     * and each must pass every filter. {@code driverEstimate} is the driver's index entries counted up to a cap, or
     * -1 when there was no need to count.
     */
    public record Plan(Clause driver, List<Clause> filters, long driverEstimate) {

        public IdStream stream(QueryContext q, String type) {
            return driver == null ? q.allIdsStream(type) : driver.stream(q, type);
        }

        /** The driver's size counted up to {@code cap}. */
        public long driverSize(QueryContext q, String type, long cap) {
            if (driverEstimate >= 0 && driverEstimate < ESTIMATE_CAP) {
                return driverEstimate;
            }
            return driver == null ? q.countAll(type, cap) : driver.estimate(q, type, cap);
        }
    }

    /**
     * Picks the driver: the clause that reads the fewest index entries, unless one that streams in id order reads
     * not many more (it then stops as soon as the page is full, where the other would be read whole first).
     */
    public static Plan plan(QueryContext q, String type, List<Clause> clauses) {
        if (clauses.isEmpty()) {
            return new Plan(null, List.of(), -1);
        }
        if (clauses.size() == 1) {
            return new Plan(clauses.get(0), List.of(), -1);
        }
        record Costed(Clause clause, long cost) {
        }
        List<Costed> costed = new ArrayList<>();
        long best = ESTIMATE_CAP;
        for (Clause c : clauses) {
            long cost = c.estimate(q, type, Math.min(ESTIMATE_CAP, 2 * best + 64));
            costed.add(new Costed(c, cost));
            best = Math.min(best, cost);
        }
        costed.sort(Comparator.comparingLong(Costed::cost));
        Costed driver = costed.get(0);
        if (!driver.clause().streams()) {
            for (Costed c : costed) {
                if (c.clause().streams() && c.cost() <= 4 * driver.cost() + 64) {
                    driver = c;
                    break;
                }
            }
        }
        List<Clause> filters = new ArrayList<>();
        for (Costed c : costed) {
            if (c != driver) {
                filters.add(c.clause());
            }
        }
        return new Plan(driver.clause(), filters, driver.cost());
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
