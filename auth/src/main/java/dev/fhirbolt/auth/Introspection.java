package dev.fhirbolt.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Token introspection (RFC 7662, {@code /auth/introspect}): whether an access or refresh token is active, and what
 * it grants. A refresh token is active while unused, unexpired, its grant in force and, for online access, the
 * user's session alive.
 */
final class Introspection {

    private final AuthStore store;
    private final Clock clock;
    private final AccessTokenVerifier verifier;
    private final Grants grants;
    private final Sessions sessions;

    Introspection(AuthStore store, Clock clock, AccessTokenVerifier verifier, Grants grants, Sessions sessions) {
        this.store = store;
        this.clock = clock;
        this.verifier = verifier;
        this.grants = grants;
        this.sessions = sessions;
    }

    /**
     * RFC 7662. {@code caller} null means an administrator (any token); otherwise only the caller's own tokens
     * are reported active.
     */
    Map<String, Object> introspect(RegisteredClient caller, String token, String baseUrl) {
        Map<String, Object> inactive = Json.object();
        inactive.put("active", false);
        if (token == null) {
            return inactive;
        }
        Optional<AccessGrant> grant = verifier.verify(token, baseUrl);
        if (grant.isPresent()) {
            AccessGrant g = grant.get();
            if (caller != null && !caller.clientId().equals(g.clientId())) {
                return inactive;
            }
            Map<String, Object> m = Json.object();
            m.put("active", true);
            m.put("token_type", "Bearer");
            m.put("scope", String.join(" ", g.scopes()));
            m.put("client_id", g.clientId());
            m.put("sub", g.subject());
            m.put("iss", baseUrl);
            m.put("aud", baseUrl);
            m.put("exp", g.expiresAt().getEpochSecond());
            if (g.issuedAt() != null) {
                m.put("iat", g.issuedAt().getEpochSecond());
            }
            m.put("jti", g.tokenId());
            if (g.fhirUser() != null) {
                m.put("fhirUser", baseUrl + "/" + g.fhirUser());
            }
            if (g.patient() != null) {
                m.put("patient", g.patient());
            }
            if (g.encounter() != null) {
                m.put("encounter", g.encounter());
            }
            if (!g.fhirContext().isEmpty()) {
                m.put("fhirContext", Json.contextToJson(g.fhirContext()));
            }
            return m;
        }
        Optional<Map<String, Object>> refresh = store.get(AuthStore.REFRESH, Secrets.fingerprint(token));
        if (refresh.isEmpty()) {
            return inactive;
        }
        Map<String, Object> r = refresh.get();
        Authorization a = Authorization.fromJson(Json.obj(r, "auth"));
        Instant exp = Json.instant(r, "exp");
        boolean active = !Json.bool(r, "used") && clock.instant().isBefore(exp) && !grants.isRevoked(a.grantId())
                && (Json.bool(r, "offline") || sessions.isActive(a.sessionId(), a.username()))
                && (caller == null || caller.clientId().equals(a.clientId()));
        if (!active) {
            return inactive;
        }
        Map<String, Object> m = Json.object();
        m.put("active", true);
        m.put("token_type", "refresh_token");
        m.put("scope", String.join(" ", a.scopes()));
        m.put("client_id", a.clientId());
        if (a.username() != null) {
            m.put("sub", a.username());
        }
        m.put("iss", baseUrl);
        m.put("exp", exp.getEpochSecond());
        if (a.fhirUser() != null) {
            m.put("fhirUser", baseUrl + "/" + a.fhirUser());
        }
        if (a.patient() != null) {
            m.put("patient", a.patient());
        }
        if (a.encounter() != null) {
            m.put("encounter", a.encounter());
        }
        return m;
    }
}
