package dev.fhirbolt.auth;

import java.time.Instant;
import java.util.List;

/**
 * A registered app (the client secret is never part of it; only its fingerprint is stored).
 *
 * @param scopes the scopes the app may ever be granted
 */
public record RegisteredClient(String clientId, String name, ClientType type, List<String> redirectUris,
        String launchUrl, List<String> scopes, String jwks, String jwksUri, Instant createdAt) {

    public RegisteredClient {
        redirectUris = List.copyOf(redirectUris);
        scopes = List.copyOf(scopes);
    }

    public List<SmartScope> allowedScopes() {
        return SmartScope.parseAll(String.join(" ", scopes));
    }
}
