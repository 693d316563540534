package dev.fhirbolt.authz.audit;

import dev.fhirbolt.auth.AuthEvent;
import dev.fhirbolt.auth.AuthEventListener;

/** Records the authorization server's events (sign-in, consent, tokens, failures) in the audit trail. */
public final class AuthAudit implements AuthEventListener {

    private final AuditTrail trail;

    public AuthAudit(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void onEvent(AuthEvent e) {
        String action = switch (e.action()) {
            case TOKEN_ISSUED, TOKEN_REFRESHED -> "C";
            case TOKEN_REVOKED -> "D";
            default -> "E";
        };
        trail.record(new AuditRecord(e.at(), "auth", e.action().code(), action, e.success(),
                (e.success() ? "success" : "failure") + (e.detail() == null ? "" : ": " + e.detail()), e.username(),
                null, e.clientId(), null, e.remoteAddress(), e.detail(), null));
    }
}
