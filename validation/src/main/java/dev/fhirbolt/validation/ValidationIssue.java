package dev.fhirbolt.validation;

import java.util.Optional;

/**
 * One finding about a resource.
 *
 * @param code the OperationOutcome issue type (http://hl7.org/fhir/issue-type), e.g. {@code required}
 * @param expression the FHIRPath of the element at fault, e.g. {@code Observation.status}
 * @param line 1-based line in the text that was validated; 0 when unknown (a resource validated as a model)
 * @param column 1-based column; 0 when unknown
 */
public record ValidationIssue(Severity severity, String code, String message, Optional<String> expression, int line,
        int column) {

    public static ValidationIssue error(String code, String message, String expression) {
        return new ValidationIssue(Severity.ERROR, code, message, Optional.ofNullable(expression), 0, 0);
    }
}
