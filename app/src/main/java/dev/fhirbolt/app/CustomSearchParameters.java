package dev.fhirbolt.app;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.WriteOutcome;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.SearchParameterRegistry;
import java.util.List;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the search parameter registry in step with the SearchParameter resources stored in the server. */
final class CustomSearchParameters {

    private static final Logger LOG = LoggerFactory.getLogger(CustomSearchParameters.class);

    private CustomSearchParameters() {
    }

    static void loadAndFollow(ResourceStore store, SearchParameterRegistry registry) {
        store.scanType("SearchParameter", store.lastT(), v -> register(registry, v.json(), v.id()));
        store.addCommitListener(outcomes -> apply(registry, outcomes));
    }

    private static void apply(SearchParameterRegistry registry, List<WriteOutcome> outcomes) {
        for (WriteOutcome outcome : outcomes) {
            var v = outcome.version();
            if (v == null || !v.type().equals("SearchParameter")) {
                continue;
            }
            if (v.deleted()) {
                registry.unregister(v.id());
            } else {
                register(registry, v.json(), v.id());
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
