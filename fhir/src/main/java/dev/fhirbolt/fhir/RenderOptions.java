package dev.fhirbolt.fhir;

import java.util.Optional;
import java.util.Set;

/** How a resource should be written out: format, pretty printing, _summary and _elements. */
public record RenderOptions(FhirFormat format, boolean pretty, SummaryMode summary, Optional<Set<String>> elements) {

    public static final RenderOptions COMPACT_JSON = new RenderOptions(FhirFormat.JSON, false, SummaryMode.FALSE,
            Optional.empty());

    /** True when stored JSON can be sent as it is. */
    public boolean isVerbatimJson() {
        return format == FhirFormat.JSON && !pretty && summary == SummaryMode.FALSE && elements.isEmpty();
    }

    public boolean isSubsetting() {
        return (summary != SummaryMode.FALSE && summary != SummaryMode.COUNT) || elements.isPresent();
    }
}
