package dev.fhirbolt.console;

/**
 * How the console reads the audit trail for its administrators: AuditEvents are visible only with a scope that names
 * them, which no user's sign-in asks for, so the server gives the console a credential of its own for them.
 */
@FunctionalInterface
public interface AuditTokens {

    /** No credential: with security off the audit trail needs none. */
    AuditTokens NONE = baseUrl -> null;

    /** The Authorization header value that reads AuditEvents for this base URL, or null when none is needed. */
    String authorization(String baseUrl);
}
