package dev.fhirbolt.validation;

import java.util.List;

/** What a validator found; an empty list means the resource is valid for the checks that ran. */
public record ValidationReport(List<ValidationIssue> issues) {

    public static final ValidationReport VALID = new ValidationReport(List.of());

    public ValidationReport {
        issues = List.copyOf(issues);
    }

    /** Whether an issue is an error or fatal: the resource must not be stored. */
    public boolean rejects() {
        for (ValidationIssue issue : issues) {
            if (issue.severity().rejects()) {
                return true;
            }
        }
        return false;
    }
}
