package dev.fhirbolt.common;

import java.util.Optional;

/**
 * One OperationOutcome issue beyond the single one a {@link FhirException} carries (a validator's findings).
 *
 * @param severity fatal, error, warning or information
 * @param code an issue type code (http://hl7.org/fhir/issue-type)
 * @param line 1-based line in the request body, 0 when unknown
 * @param column 1-based column, 0 when unknown
 */
public record Issue(String severity, String code, String diagnostics, Optional<String> expression, int line,
        int column) {
}
