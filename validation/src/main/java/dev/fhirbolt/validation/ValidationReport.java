package dev.fhirbolt.validation;

import java.util.List;

/** What a validator found; an empty list means the resource is valid for the checks that ran. */
public record ValidationReport(List<ValidationIssue> issues) {

    public static final ValidationReport VALID = new ValidationReport(List.of());

    public ValidationReport {
        issues = List.copyOf(issues);
    }

    /** The issues as the REST layer renders them in an OperationOutcome. */
    public List<dev.fhirbolt.common.Issue> outcomeIssues() {
        return issues.stream().map(i -> new dev.fhirbolt.common.Issue(i.severity().code(), i.code(), i.message(),
                i.expression(), i.line(), i.column())).toList();
    }

    /** The first issue that rejects, for a one-line summary. */
    public java.util.Optional<ValidationIssue> firstRejection() {
        return issues.stream().filter(i -> i.severity().rejects()).findFirst();
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
