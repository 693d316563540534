package dev.fhirbolt.app;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResourceMatcher;
import java.util.ArrayList;
import java.util.List;

/** Conditional matching on {@code _id} alone, until the search engine is wired in. */
final class IdMatcher implements ResourceMatcher {

    private final ResourceStore store;

    IdMatcher(ResourceStore store) {
        this.store = store;
    }

    @Override
    public List<String> matchIds(String type, Params criteria, int limit) {
        List<String> ids = new ArrayList<>();
        for (Params.Param p : criteria.all()) {
            if (!p.name().equals("_id")) {
                throw FhirException.notSupported("conditional criteria support only _id for now, not " + p.name());
            }
            for (String id : p.value().split(",")) {
                store.readCurrent(type, id).filter(v -> !v.deleted()).ifPresent(v -> ids.add(v.id()));
            }
        }
        return ids.subList(0, Math.min(limit, ids.size()));
    }
}
