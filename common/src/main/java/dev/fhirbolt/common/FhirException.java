package dev.fhirbolt.common;

import java.util.Optional;

/**
 * A failure to tell the client about: an HTTP status plus one OperationOutcome issue a person can act on.
 * Thrown anywhere below the REST layer, which turns it into the response; nothing else reaches clients.
 */
public class FhirException extends RuntimeException {

    private final int status;
    private final IssueType issueType;
    private final String expression;
    private final java.util.List<Issue> issues;

    public FhirException(int status, IssueType issueType, String diagnostics) {
        this(status, issueType, diagnostics, null, null);
    }

    public FhirException(int status, IssueType issueType, String diagnostics, String expression, Throwable cause) {
        super(diagnostics, cause, false, false);
        this.status = status;
        this.issueType = issueType;
        this.expression = expression;
        this.issues = java.util.List.of();
    }

    /** A failure described by several issues (a validator's findings); the message summarises them. */
    public FhirException(int status, IssueType issueType, String summary, java.util.List<Issue> issues) {
        super(summary, null, false, false);
        this.status = status;
        this.issueType = issueType;
        this.expression = null;
        this.issues = java.util.List.copyOf(issues);
    }

    /** The issues to answer with instead of the single one of the message, type and expression; often empty. */
    public java.util.List<Issue> issues() {
        return issues;
    }

    public int status() {
        return status;
    }

    public IssueType issueType() {
        return issueType;
    }

    /** The FHIRPath of the element at fault, when known. */
    public Optional<String> expression() {
        return Optional.ofNullable(expression);
    }

    /** "error" for client errors and server faults alike; "fatal" is kept for requests that could not be read. */
    public String severity() {
        return issueType == IssueType.STRUCTURE ? "fatal" : "error";
    }

    public static FhirException invalid(String diagnostics) {
        return new FhirException(400, IssueType.INVALID, diagnostics);
    }

    public static FhirException notFound(String diagnostics) {
        return new FhirException(404, IssueType.NOT_FOUND, diagnostics);
    }

    public static FhirException gone(String diagnostics) {
        return new FhirException(410, IssueType.DELETED, diagnostics);
    }

    public static FhirException conflict(String diagnostics) {
        return new FhirException(409, IssueType.CONFLICT, diagnostics);
    }

    public static FhirException preconditionFailed(String diagnostics) {
        return new FhirException(412, IssueType.CONFLICT, diagnostics);
    }

    public static FhirException notSupported(String diagnostics) {
        return new FhirException(400, IssueType.NOT_SUPPORTED, diagnostics);
    }

}
