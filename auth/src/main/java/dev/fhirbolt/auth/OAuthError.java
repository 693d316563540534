package dev.fhirbolt.auth;

import java.util.Map;

/** An RFC 6749 error answer: error code, description and HTTP status. */
final class OAuthError extends RuntimeException {

    final String error;
    final int status;

    OAuthError(String error, String description, int status) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
    }

    static OAuthError invalidRequest(String d) {
        return new OAuthError("invalid_request", d, 400);
    }

    static OAuthError invalidGrant(String d) {
        return new OAuthError("invalid_grant", d, 400);
    }

    static OAuthError invalidClient(String d) {
        return new OAuthError("invalid_client", d, 401);
    }

    static OAuthError invalidScope(String d) {
        return new OAuthError("invalid_scope", d, 400);
    }

    static OAuthError unauthorizedClient(String d) {
        return new OAuthError("unauthorized_client", d, 400);
    }

    static OAuthError unsupportedGrantType(String d) {
        return new OAuthError("unsupported_grant_type", d, 400);
    }

    Map<String, Object> body() {
        Map<String, Object> m = Json.object();
        m.put("error", error);
        if (getMessage() != null) {
            m.put("error_description", getMessage());
        }
        return m;
    }
}
