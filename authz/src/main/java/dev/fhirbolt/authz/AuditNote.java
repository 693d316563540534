package dev.fhirbolt.authz;

/** A per-request slot where enforcement leaves the reason of a refusal for the audit record. Thread-safe. */
public final class AuditNote {

    private volatile String denial;

    void denied(String reason) {
        if (denial == null) {
            denial = reason;
        }
    }

    /** Why the request (or one of its Bundle entries) was refused, or null. */
    public String denial() {
        return denial;
    }
}
