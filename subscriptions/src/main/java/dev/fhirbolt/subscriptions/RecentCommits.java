package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.WriteOutcome;
import dev.fhirbolt.search.SearchIndexer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The index records of the last commits' writes, by transaction number, kept from the commit listener (on the writer
 * thread: a few references per commit) until the dispatcher reaches that transaction on the change feed and takes
 * them, so it matches each change on the values its write already computed instead of parsing the resource again.
 * Only the records themselves are kept (not the writes' bodies), only of types some subscription is on, and only of
 * commits of at most {@link #MAX_WRITES} writes; at most {@link #MAX} transactions. Whatever is not kept is parsed, as
 * after a restart or for writes applied from a cluster's log, whose writes carry no records.
 */
final class RecentCommits {

    private static final int MAX = 4096;
    static final int MAX_WRITES = 256;

    /** One write's record: the version it made and its search-resource record (without _lastUpdated). */
    private record Kept(String type, String id, long version, byte[] record) {
    }

    private final Map<Long, List<Kept>> byT = new ConcurrentHashMap<>();

    /** From the commit listener; {@code covered}: whether some subscription is on a type. */
    void add(List<WriteOutcome> outcomes, Predicate<String> covered) {
        if (byT.size() >= MAX || outcomes.size() > MAX_WRITES) {
            return;
        }
        Map<Long, List<Kept>> commit = new HashMap<>(2);
        for (WriteOutcome o : outcomes) {
            ResourceVersion v = o.version();
            if (v != null && o.kind() != WriteOutcome.Kind.NOTHING_TO_DELETE && covered.test(v.type())
                    && o.write().derived() instanceof SearchIndexer.IndexedEntries entries) {
                commit.computeIfAbsent(v.t(), k -> new ArrayList<>(1))
                        .add(new Kept(v.type(), v.id(), v.version(), entries.fixed().record()));
            }
        }
        commit.forEach((t, list) -> byT.put(t, List.copyOf(list))); // published whole: the dispatcher reads it
    }

    /**
     * The records of transaction {@code t}'s writes by {@code type/id/version}, forgetting them (and, now and then,
     * anything older); empty when they were not kept.
     */
    Map<String, byte[]> take(long t) {
        List<Kept> kept = byT.remove(t);
        if (byT.size() > 64) {
            byT.keySet().removeIf(k -> k < t);
        }
        if (kept == null) {
            return Map.of();
        }
        Map<String, byte[]> out = new HashMap<>();
        for (Kept k : kept) {
            out.put(k.type() + "/" + k.id() + "/" + k.version(), k.record());
        }
        return out;
    }

    void clear() {
        byT.clear();
    }
}
