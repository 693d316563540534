package dev.fhirbolt.app;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.WriteOutcome;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.reindex.ReindexService;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the search parameter registry in step with the SearchParameter resources stored in the server, and queues a
 * reindex of the types a created, changed or deleted parameter applies to, so existing data follows.
 */
final class CustomSearchParameters {

    private static final Logger LOG = LoggerFactory.getLogger(CustomSearchParameters.class);

    private CustomSearchParameters() {
    }

    /** Registers the stored parameters. */
    static void load(ResourceStore store, SearchParameterRegistry registry) {
        store.scanType("SearchParameter", store.lastT(), v -> register(registry, v.json(), v.id()));
    }

    /** Follows later SearchParameter commits, reindexing what they affect. */
    static void follow(ResourceStore store, SearchParameterRegistry registry, ReindexService reindex) {
        LateIndexRepair late = new LateIndexRepair(reindex);
        store.addCommitListener(outcomes -> {
            apply(registry, reindex, late, outcomes);
            for (WriteOutcome outcome : outcomes) {
                if (outcome.version() != null && !outcome.version().type().equals("SearchParameter")) {
                    late.written(outcome.version());
                }
            }
        });
    }

    private static void apply(SearchParameterRegistry registry, ReindexService reindex, LateIndexRepair late,
            List<WriteOutcome> outcomes) {
        for (WriteOutcome outcome : outcomes) {
            var v = outcome.version();
            if (v == null || !v.type().equals("SearchParameter")) {
                continue;
            }
            Set<String> affected = new TreeSet<>(registry.typesAffectedBy(v.id()));
            if (v.deleted()) {
                registry.unregister(v.id());
            } else {
                register(registry, v.json(), v.id());
                affected.addAll(registry.typesAffectedBy(v.id()));
            }
            if (!affected.isEmpty()) {
                late.changed(affected, v.lastUpdated());
                try {
                    // the same id on every node of a cluster, each of which reindexes its own store
                    var job = reindex.submit("searchparameter-" + v.id() + "-" + v.version(), affected,
                            "SearchParameter/" + v.id() + " "
                            + outcome.kind().name().toLowerCase(java.util.Locale.ROOT));
                    LOG.info("SearchParameter/{} changed: reindexing {} type(s) (job {})", v.id(), affected.size(),
                            job.id());
                } catch (RuntimeException e) {
                    LOG.warn("could not queue the reindex for SearchParameter/{}; run $reindex", v.id(), e);
                }
            }
        }
    }

    private static void register(SearchParameterRegistry registry, byte[] json, String id) {
        try {
            registry.register((SearchParameter) ResourceReader.readStored(json));
        } catch (RuntimeException e) {
            LOG.warn("SearchParameter/{} cannot be used for searching: {}", id, e.getMessage());
        }
    }
}
