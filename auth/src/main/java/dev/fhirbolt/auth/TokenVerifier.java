package dev.fhirbolt.auth;

import java.util.Optional;

/**
 * Checks bearer access tokens presented to the FHIR API: signature (a key of this server's JWKS), issuer,
 * audience, expiry and revocation. Thread-safe.
 */
public interface TokenVerifier {

    /**
     * Verifies a token for the FHIR server at {@code fhirBaseUrl}: the token's {@code aud} must equal it. This is
     * the method to use when the base URL of the request is known (it always is in the REST layer).
     */
    Optional<AccessGrant> verify(String bearerToken, String fhirBaseUrl);

    /**
     * Verifies a token whose audience is this server as it was addressed when the token was issued (tokens are
     * always issued with {@code aud} equal to {@code iss}, both the FHIR base URL). Prefer
     * {@link #verify(String, String)}, which also pins the audience to the current request's base URL.
     */
    Optional<AccessGrant> verify(String bearerToken);
}
