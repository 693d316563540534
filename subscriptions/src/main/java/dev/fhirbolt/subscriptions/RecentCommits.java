package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.WriteOutcome;
import dev.fhirbolt.search.SearchIndexer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The index records of the last commits' writes, by transaction number, kept from the commit listener (on the writer
 * thread: one map put per commit) until the dispatcher reaches that transaction on the change feed and takes them, so
 * it matches each change on the values its write already computed instead of parsing the resource again. Bounded: a
 * dispatcher that falls far behind finds nothing and parses (as it does after a restart, or for writes applied from a
 * cluster's log, whose writes carry no records).
 */
final class RecentCommits {

    private static final int MAX = 4096;

    private final Map<Long, List<WriteOutcome>> byT = new ConcurrentHashMap<>();

    /** From the commit listener. */
    void add(List<WriteOutcome> outcomes) {
        if (byT.size() >= MAX) {
            return;
        }
        for (WriteOutcome o : outcomes) {
            ResourceVersion v = o.version();
            if (v != null && o.kind() != WriteOutcome.Kind.NOTHING_TO_DELETE
                    && o.write().derived() instanceof SearchIndexer.IndexedEntries) {
                byT.computeIfAbsent(v.t(), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(o);
            }
        }
    }

    /**
     * The records of transaction {@code t}'s writes by {@code type/id} (of that version), forgetting them and anything
     * older; empty when they were not kept.
     */
    Map<String, byte[]> take(long t) {
        List<WriteOutcome> outcomes = byT.remove(t);
        if (byT.size() > 64) {
            byT.keySet().removeIf(k -> k < t);
        }
        if (outcomes == null) {
            return Map.of();
        }
        Map<String, byte[]> out = new HashMap<>();
        for (WriteOutcome o : outcomes) {
            SearchIndexer.IndexedEntries entries = (SearchIndexer.IndexedEntries) o.write().derived();
            ResourceVersion v = o.version();
            out.put(v.type() + "/" + v.id() + "/" + v.version(), entries.fixed().record());
        }
        return out;
    }

    void clear() {
        byT.clear();
    }
}
