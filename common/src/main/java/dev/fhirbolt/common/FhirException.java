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

    public FhirException(int status, IssueType issueType, String diagnostics) {
        this(status, issueType, diagnostics, null, null);
    }

    public FhirException(int status, IssueType issueType, String diagnostics, String expression, Throwable cause) {
        super(diagnostics, cause, false, false);
        this.status = status;
        this.issueType = issueType;
        this.expression = expression;
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
