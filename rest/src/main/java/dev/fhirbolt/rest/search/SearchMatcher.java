package dev.fhirbolt.rest.search;

import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.search.SearchEngine;
import java.util.List;

/** Conditional interactions and conditional references resolved by full search. */
public final class SearchMatcher implements ResourceMatcher {

    private final SearchEngine engine;

    public SearchMatcher(SearchEngine engine) {
        this.engine = engine;
    }

    @Override
    public List<String> matchIds(String type, Params criteria, int limit) {
        return engine.matchIds(type, criteria.asMap(), limit);
    }
}
