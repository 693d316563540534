package dev.fhirbolt.rest.search;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.util.List;
import java.util.Map;

/**
 * The most parameters one search may carry (setting {@code search-max-parameters}). Every name=value pair counts,
 * result parameters included: each filter is one more AND clause to plan and intersect, and a thousand of them kept
 * a search busy for seconds.
 */
public record SearchParameterLimit(int maxParameters) {

    public static final int DEFAULT = 100;

    public SearchParameterLimit {
        if (maxParameters < 1) {
            throw new IllegalArgumentException("the search parameter limit must be at least 1");
        }
    }

    /** Throws a 400 naming the limit when {@code params} hold more pairs than allowed. */
    public void check(Map<String, List<String>> params) {
        long count = params.entrySet().stream().filter(e -> !e.getKey().equals("_cursor"))
                .mapToLong(e -> e.getValue().size()).sum();
        if (count > maxParameters) {
            throw new FhirException(400, IssueType.TOO_COSTLY, "this search has " + count
                    + " parameters; at most " + maxParameters + " are allowed in one search (setting"
                    + " search-max-parameters)");
        }
    }
}
