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
        long total = 0;
        long examined = 0;
        for (Map.Entry<String, Planner.Plan> e : plans.entrySet()) {
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
