package dev.fhirbolt.search.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;

/**
 * Decides how one type's clauses are read: {@link #plan} picks what drives (clauses streaming ids in id order,
 * intersected by leapfrogging) and the clauses that check each candidate, for searches that stop after their page;
 * {@link #run} computes every match at once (nested searches of chains and {@code _has}), starting from the clause
 * with the fewest index entries.
 */
public final class Planner {

    static final long ESTIMATE_CAP = 20_000;

    private Planner() {
    }

    /** Clauses that must be counted to be ordered are counted this far; beyond it they are all "large". */
    static final long QUICK_CAP = 256;

    /** What checking one candidate against a clause costs, in index steps: about one seek. */
    static final long CHECK_COST = 8;

    /**
     * How one type's matches are read: ids come from the driver in id order (every id of the type when it is null)
     * and each must pass every filter.
     */
    public record Plan(IdSource driver, List<Clause> filters) {

        public IdStream stream(QueryContext q, String type) {
            return driver.stream(q, type);
        }

        /** How many ids the driver gives, counted up to {@code cap} (an upper bound of the matches). */
        public long driverSize(QueryContext q, String type, long cap) {
            return driver.count(q, type, cap);
        }
    }

    /** Where a plan's candidate ids come from. */
    public interface IdSource {
        IdStream stream(QueryContext q, String type);

        /** The number of ids, counted up to {@code cap}. */
        default long count(QueryContext q, String type, long cap) {
            IdStream s = stream(q, type);
            long n = 0;
            while (n < cap && s.next() != null) {
                n++;
            }
            return n;
        }
    }

    /**
     * Picks the driver. Clauses that stream in id order are intersected by leapfrogging, which needs no counting;
     * one that does not stream (a range, a negation) drives only when counting shows it is small and clearly
     * smaller than the streaming clauses, and otherwise filters the candidates through the resource index.
     */
    public static Plan plan(QueryContext q, String type, List<Clause> given) {
        List<Clause> clauses = rewrite(q, type, given);
        List<Clause> streaming = new ArrayList<>();
        List<Clause> other = new ArrayList<>();
        for (Clause c : clauses) {
            (c.streams() ? streaming : other).add(c);
        }
        if (other.isEmpty()) {
            return new Plan(streamingSource(streaming), List.of());
        }
        record Costed(Clause clause, long cost) {
        }
        List<Costed> costed = new ArrayList<>();
        for (Clause c : other) {
            costed.add(new Costed(c, c.estimate(q, type, QUICK_CAP)));
        }
        costed.sort(Comparator.comparingLong(Costed::cost));
        Costed smallest = costed.get(0);
        boolean drives = smallest.cost() < QUICK_CAP;
        if (drives && !streaming.isEmpty()) {
            long cap = Math.min(QUICK_CAP, 4 * smallest.cost() + 64);
            for (Clause s : streaming) {
                if (s.estimate(q, type, cap) < cap) {
                    drives = false;
                    break;
                }
            }
        }
        if (streaming.isEmpty() && cheaperToCheckEveryId(q, type, smallest.clause(), smallest.cost())) {
            return new Plan(streamingSource(streaming), costed.stream().map(Costed::clause).toList());
        }
        if (drives || streaming.isEmpty()) {
            List<Clause> filters = new ArrayList<>(streaming);
            costed.subList(1, costed.size()).forEach(c -> filters.add(c.clause()));
            Clause driver = smallest.clause();
            return new Plan(new IdSource() {
                @Override
                public IdStream stream(QueryContext q2, String t) {
                    return driver.stream(q2, t);
                }

                @Override
                public long count(QueryContext q2, String t, long cap) {
                    return driver.estimate(q2, t, cap);
                }
            }, filters);
        }
        return new Plan(streamingSource(streaming), costed.stream().map(Costed::clause).toList());
    }

    /**
     * Whether checking every id of the type costs less than scanning the clause: a check costs about a seek, so this
     * holds for a type with few resources against a clause whose scan costs seeks (a _has with many inner matches).
     */
    private static boolean cheaperToCheckEveryId(QueryContext q, String type, Clause clause, long cost) {
        long checks = cost * clause.scanCostPerEntry() / CHECK_COST;
        return checks > 0 && q.countAll(type, checks) < checks;
    }

    private static IdSource streamingSource(List<Clause> streaming) {
        if (streaming.isEmpty()) {
            return new IdSource() {
                @Override
                public IdStream stream(QueryContext q, String type) {
                    return q.allIdsStream(type);
                }

                @Override
                public long count(QueryContext q, String type, long cap) {
                    return q.countAll(type, cap);
                }
            };
        }
        if (streaming.size() == 1) {
            Clause only = streaming.get(0);
            return new IdSource() {
                @Override
                public IdStream stream(QueryContext q, String type) {
                    return only.stream(q, type);
                }

                @Override
                public long count(QueryContext q, String type, long cap) {
                    return only.estimate(q, type, cap);
                }
            };
        }
        return (q, type) -> {
            List<IdStream> streams = new ArrayList<>();
            for (Clause c : streaming) {
                streams.add(c.stream(q, type));
            }
            return new IntersectIdStream(streams);
        };
    }

    /** Clauses that a combined index answers at once replaced by one clause on that index. */
    private static List<Clause> rewrite(QueryContext q, String type, List<Clause> clauses) {
        return CodeDateClauses.combine(q, type, PatientScopedClauses.combine(q, type, clauses));
    }

    public static SortedSet<String> run(QueryContext q, String type, List<Clause> given) {
        List<Clause> clauses = rewrite(q, type, given);
        if (clauses.isEmpty()) {
            return q.allIds(type);
        }
        if (clauses.size() == 1) {
            return clauses.get(0).scan(q, type);
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
