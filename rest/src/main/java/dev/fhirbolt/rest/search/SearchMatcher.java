package dev.fhirbolt.rest.search;

import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.search.SearchEngine;
import java.util.List;

/** Conditional interactions and conditional references resolved by full search. */
public final class SearchMatcher implements ResourceMatcher {

    private final SearchEngine engine;
    private final SearchParameterLimit parameterLimit;

    public SearchMatcher(SearchEngine engine) {
        this(engine, new SearchParameterLimit(SearchParameterLimit.DEFAULT));
    }

    /** With the limit on the parameters of one condition (the same as a search's). */
    public SearchMatcher(SearchEngine engine, SearchParameterLimit parameterLimit) {
        this.engine = engine;
        this.parameterLimit = parameterLimit;
    }

    @Override
    public List<String> matchIds(String type, Params criteria, int limit) {
        var params = criteria.asMap();
        parameterLimit.check(params);
        return engine.matchIds(type, params, limit);
    }
}
