package dev.fhirbolt.search.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A page of a search without _sort, read forward in (type, id) order: each type's matches stream from its plan,
 * starting after the cursor's hit, and reading stops at the first hit past the page. On the first page the total is
 * counted by reading on from there, within a budget, so the page's candidates are not examined twice.
 */
public final class IdOrderPage {

    private IdOrderPage() {
    }

    /**
     * {@code plans} in type order; {@code after} is the last hit of the previous page, or null. A first page that
     * does not reach the end counts the total with at most {@code countBudget} candidates in all (0: not at all).
     */
    public static PageHits read(QueryContext q, Map<String, Planner.Plan> plans, int count, Hit after,
            long countBudget) {
        List<Hit> hits = new ArrayList<>(Math.min(count, 256) + 1);
        long examinedBefore = 0;
        for (Map.Entry<String, Planner.Plan> e : plans.entrySet()) {
            String type = e.getKey();
            if (after != null && type.compareTo(after.type()) < 0) {
                continue;
            }
            MatchScan scan = new MatchScan(q, type, e.getValue());
            if (after != null && type.equals(after.type())) {
                scan.seekAfter(after.id());
            }
            for (String id = scan.next(); id != null; id = scan.next()) {
                if (hits.size() == count) {
                    long total = after != null || countBudget == 0 ? -1 : new MatchCounter(q, plans)
                            .countRest(type, scan, count + 1L, examinedBefore, countBudget).orElse(-1);
                    return new PageHits(hits, true, after != null, total);
                }
                hits.add(new Hit(type, id, new byte[0][]));
            }
            examinedBefore += scan.examined();
        }
        return new PageHits(hits, false, after != null, after == null ? hits.size() : -1);
    }
}
