package dev.fhirbolt.search.query;

import java.util.List;

/**
 * Walks one type's matches in id order: each id from the plan's driver is checked against the other clauses through
 * the resource index, without loading any resource. Counts the candidates it examined.
 */
public final class MatchScan {

    private final QueryContext q;
    private final String type;
    private final List<Clause> filters;
    private final IdStream driver;
    private long examined;
    private long limit = Long.MAX_VALUE;
    private boolean stopped;

    public MatchScan(QueryContext q, String type, Planner.Plan plan) {
        this.q = q;
        this.type = type;
        this.filters = plan.filters();
        this.driver = plan.stream(q, type);
    }

    /** Continues after {@code id} (the last id of the previous page). */
    public void seekAfter(String id) {
        driver.seek(id + "\0\u00FF");
    }

    /** Stops {@link #next} after this many candidates in all; {@link #stopped()} then tells. */
    public MatchScan limit(long candidates) {
        this.limit = candidates;
        return this;
    }

    /** Whether the scan ended at its limit rather than at the end of the matches. */
    public boolean stopped() {
        return stopped;
    }

    /** The next matching id, or null at the end (or at the limit). */
    public String next() {
        for (String id = driver.next(); id != null; id = driver.next()) {
            if (examined >= limit) {
                stopped = true;
                return null;
            }
            examined++;
            if (passes(id)) {
                return id;
            }
        }
        return null;
    }

    private boolean passes(String id) {
        for (Clause filter : filters) {
            if (!filter.test(q, type, id)) {
                return false;
            }
        }
        return true;
    }

    /** Candidates the driver produced so far. */
    public long examined() {
        return examined;
    }
}
