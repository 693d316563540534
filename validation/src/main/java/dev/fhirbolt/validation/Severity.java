package dev.fhirbolt.validation;

/** How bad an issue is, as OperationOutcome.issue.severity names it. */
public enum Severity {
    FATAL("fatal"),
    ERROR("error"),
    WARNING("warning"),
    INFORMATION("information");

    private final String code;

    Severity(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Fatal and error issues make a resource invalid; warnings and information do not. */
    public boolean rejects() {
        return this == FATAL || this == ERROR;
    }
}
