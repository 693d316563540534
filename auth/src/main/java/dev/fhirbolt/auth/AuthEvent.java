package dev.fhirbolt.auth;

import java.time.Instant;

/**
 * Something the authorization server did that an audit trail should record.
 *
 * @param action        what happened ({@link Action})
 * @param success       whether it succeeded
 * @param clientId      the OAuth client involved, or null
 * @param username      the user involved (signed in, or the name tried), or null
 * @param detail        a short human-readable detail (grant type, scopes, error code and description)
 * @param remoteAddress the caller's address, or null
 * @param at            when it happened
 */
public record AuthEvent(Action action, boolean success, String clientId, String username, String detail,
        String remoteAddress, Instant at) {

    /** The kinds of events. */
    public enum Action {
        /** a sign-in attempt at /auth/login */
        LOGIN("login"),
        /** the user's allow / deny decision on the consent page */
        CONSENT("consent"),
        /** an access token issued (authorization code or client credentials) */
        TOKEN_ISSUED("token-issued"),
        /** an access token issued from a refresh token */
        TOKEN_REFRESHED("token-refreshed"),
        /** a revocation request (RFC 7009) or an approval revoked on the manage page */
        TOKEN_REVOKED("token-revoked"),
        /** an OAuth error answered by an auth endpoint */
        FAILURE("failure");

        private final String code;

        Action(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
