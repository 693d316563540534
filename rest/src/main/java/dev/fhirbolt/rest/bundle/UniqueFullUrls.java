package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.util.HashMap;
import java.util.Map;

/** The fullUrls of a Bundle's entries so far; a second entry with one of them is refused (400), whatever the type. */
final class UniqueFullUrls {

    private final Map<String, Integer> seen = new HashMap<>();

    /** Entry {@code index} has {@code fullUrl} (null: none). */
    void add(int index, String fullUrl) {
        Integer earlier = fullUrl == null ? null : seen.putIfAbsent(fullUrl, index);
        if (earlier != null) {
            throw new FhirException(400, IssueType.INVALID, "entries " + earlier + " and " + index + " have the same"
                    + " fullUrl '" + fullUrl + "'; each entry's fullUrl must be unique; nothing was stored",
                    "Bundle.entry[" + index + "].fullUrl", null);
        }
    }
}
