package dev.fhirbolt.search;

import dev.fhirbolt.database.ResourceVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One page of a search. {@code matches} and {@code includes} hold the stored JSON as it is (send it untouched unless
 * _summary/_elements ask otherwise). {@code next}/{@code previous} are _cursor values: link to the same search with
 * {@code selfParameters} plus _cursor=value. {@code unknownParameters} were ignored: answer 400 under
 * Prefer: handling=strict, else leave them out of the self link (they already are).
 */
public record SearchResult(List<ResourceVersion> matches, List<ResourceVersion> includes, OptionalLong total,
        Optional<String> next, Optional<String> previous, List<String> unknownParameters,
        Map<String, List<String>> selfParameters, Optional<String> summary, Optional<List<String>> elements,
        int count) {
}
