package dev.fhirbolt.auth;

/** The answer to a registration: the client and, for symmetric clients only, its secret (shown this once). */
public record ClientRegistration(RegisteredClient client, String clientSecret) {
}
