package dev.fhirbolt.search.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A page of a search without _sort, read forward in (type, id) order: each type's matches stream from its plan,
 * starting after the cursor's hit, and reading stops at the first hit past the page.
 */
public final class IdOrderPage {

    private IdOrderPage() {
    }

    /** {@code plans} in type order; {@code after} is the last hit of the previous page, or null. */
    public static PageHits read(QueryContext q, Map<String, Planner.Plan> plans, int count, Hit after) {
        List<Hit> hits = new ArrayList<>(Math.min(count, 256) + 1);
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
                    return new PageHits(hits, true, after != null, -1);
                }
                hits.add(new Hit(type, id, new byte[0][]));
            }
        }
        return new PageHits(hits, false, after != null, after == null ? hits.size() : -1);
    }
}
