package dev.fhirbolt.terminology;

import java.util.Optional;

/**
 * What an expansion is asked for: a text {@code filter} (each word must start a word of the code or display),
 * paging ({@code offset}, {@code count}), whether to leave out inactive codes, and whether to include designations.
 */
public record ExpansionRequest(Optional<String> filter, int offset, Optional<Integer> count, boolean activeOnly,
        boolean includeDesignations) {

    public static ExpansionRequest all() {
        return new ExpansionRequest(Optional.empty(), 0, Optional.empty(), false, false);
    }
}
