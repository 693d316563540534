package dev.fhirbolt.app;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.search.reindex.ReindexService;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-derives the index entries of writes that may have been indexed before a SearchParameter change reached the node
 * that indexed them. A write's entries are derived by the node that takes the request; in a cluster that node applies
 * the SearchParameter from the log a little later than its writer, so a write indexed meanwhile, and ordered after the
 * SearchParameter in the log, carries entries without the new parameter on every node. The reindex job that the
 * change starts may or may not meet such a write, depending on each node's timing; this repair does not depend on
 * timing: every write of an affected type that comes after the change in commit order and whose {@code lastUpdated}
 * (fixed by its writer) is within {@link #WINDOW} of the change's is re-derived, on every node alike, so the nodes'
 * indexes converge. Re-deriving a write that was indexed right is harmless (the same entries).
 */
final class LateIndexRepair {

    private static final Logger LOG = LoggerFactory.getLogger(LateIndexRepair.class);
    /** Longer than a node lags behind the log (and the clocks of the nodes differ) when it takes a write. */
    static final Duration WINDOW = Duration.ofSeconds(60);

    private final ReindexService reindex;
    /** Affected type → the latest lastUpdated up to which its writes are repaired. */
    private final Map<String, Instant> until = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("fhirbolt-late-index-repair").daemon(true).factory());

    LateIndexRepair(ReindexService reindex) {
        this.reindex = reindex;
    }

    /** A SearchParameter change committed at {@code at} affects these types. */
    void changed(Set<String> types, Instant at) {
        Instant end = at.plus(WINDOW);
        for (String type : types) {
            until.merge(type, end, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** A committed write (in commit order, after the changes noted so far): repaired when it may be late. */
    void written(ResourceVersion v) {
        if (until.isEmpty() || v.deleted()) {
            return;
        }
        Instant end = until.get(v.type());
        if (end != null && !v.lastUpdated().isAfter(end)) {
            String type = v.type();
            String id = v.id();
            worker.execute(() -> {
                try {
                    reindex.reindexNow(type, List.of(id));
                } catch (RuntimeException e) {
                    LOG.warn("could not re-derive the index entries of {}/{}: {}", type, id, e.getMessage());
                }
            });
        }
    }
}
