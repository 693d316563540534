package dev.fhirbolt.fhir;

import dev.fhirbolt.common.FhirException;
import java.util.Locale;

/** The values of _summary (http://hl7.org/fhir/R4/search.html#summary). */
public enum SummaryMode {
    TRUE,
    TEXT,
    DATA,
    COUNT,
    FALSE;

    public static SummaryMode parse(String value) {
        if (value == null || value.isBlank()) {
            return FALSE;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw FhirException.invalid("_summary must be one of true, text, data, count, false; got '" + value + "'");
        }
    }
}
