package dev.fhirbolt.search.query;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Counts a search's matches for Bundle.total without loading anything: exactly, within a budget of examined
 * candidates, or as an estimate (the driver's size times the share of examined candidates that matched).
 */
public final class MatchCounter {

    /** Candidates a search without _total may examine to give an exact total; past it there is no total. */
    public static final long DEFAULT_BUDGET = 2_000;
    /** Candidates _total=estimate examines before it extrapolates. */
    static final long ESTIMATE_SAMPLE = 2_000;
    /** How far an estimate counts the driver's index entries. */
    static final long ESTIMATE_CAP = 100_000;

    private final QueryContext q;
    private final Map<String, Planner.Plan> plans;

    public MatchCounter(QueryContext q, Map<String, Planner.Plan> plans) {
        this.q = q;
        this.plans = plans;
    }

    /** The exact number of matches, or empty when counting would examine more than {@code budget} candidates. */
    public OptionalLong count(long budget) {
        return countTypesAfter(null, 0, 0, budget);
    }

    /**
     * Finishes a count that a page's reading began: {@code found} matches so far, then the rest of {@code scan} (on
     * {@code type}) and the types after it; the scan's candidates and {@code examinedBefore} count toward the budget.
     */
    public OptionalLong countRest(String type, MatchScan scan, long found, long examinedBefore, long budget) {
        scan.limit(budget - examinedBefore);
        long total = found;
        while (scan.next() != null) {
            total++;
        }
        if (scan.stopped()) {
            return OptionalLong.empty();
        }
        return countTypesAfter(type, total, examinedBefore + scan.examined(), budget);
    }

    /** Adds the matches of the types after {@code after} (all types when null) to {@code total}. */
    private OptionalLong countTypesAfter(String after, long total, long examined, long budget) {
        for (Map.Entry<String, Planner.Plan> e : plans.entrySet()) {
            if (after != null && e.getKey().compareTo(after) <= 0) {
                continue;
            }
            MatchScan scan = new MatchScan(q, e.getKey(), e.getValue()).limit(budget - examined);
            while (scan.next() != null) {
                total++;
            }
            if (scan.stopped()) {
                return OptionalLong.empty();
            }
            examined += scan.examined();
        }
        return OptionalLong.of(total);
    }

    /** Exact when a small sample settles it; otherwise extrapolated per type from a sample of its candidates. */
    public long estimate() {
        long total = 0;
        for (Map.Entry<String, Planner.Plan> e : plans.entrySet()) {
            MatchScan scan = new MatchScan(q, e.getKey(), e.getValue()).limit(ESTIMATE_SAMPLE);
            long matched = 0;
            while (scan.next() != null) {
                matched++;
            }
            if (!scan.stopped()) {
                total += matched;
            } else {
                long size = e.getValue().driverSize(q, e.getKey(), ESTIMATE_CAP);
                total += Math.max(matched, Math.round((double) matched / scan.examined() * size));
            }
        }
        return total;
    }
}
