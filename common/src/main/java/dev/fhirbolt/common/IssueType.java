package dev.fhirbolt.common;

/** The OperationOutcome issue codes (http://hl7.org/fhir/issue-type) Fhirbolt answers with. */
public enum IssueType {
    INVALID("invalid"),
    STRUCTURE("structure"),
    REQUIRED("required"),
    VALUE("value"),
    INVARIANT("invariant"),
    SECURITY("security"),
    LOGIN("login"),
    UNKNOWN("unknown"),
    EXPIRED("expired"),
    FORBIDDEN("forbidden"),
    PROCESSING("processing"),
    NOT_SUPPORTED("not-supported"),
    DUPLICATE("duplicate"),
    MULTIPLE_MATCHES("multiple-matches"),
    NOT_FOUND("not-found"),
    DELETED("deleted"),
    TOO_LONG("too-long"),
    CODE_INVALID("code-invalid"),
    CONFLICT("conflict"),
    TOO_COSTLY("too-costly"),
    TRANSIENT("transient"),
    EXCEPTION("exception"),
    TIMEOUT("timeout"),
    INFORMATIONAL("informational");

    private final String code;

    IssueType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
