package dev.fhirbolt.auth;

import java.util.List;

/**
 * What an administrator (or dynamic registration) asks to register.
 *
 * @param clientId     the wanted client id, or null to have one generated
 * @param name         a display name shown on the consent and launch pages
 * @param type         the client type
 * @param redirectUris exact redirect URIs (required except for backend services)
 * @param launchUrl    the app's EHR launch URL, or null when the app is not EHR-launchable
 * @param scopes       the scopes the app may ever be granted (null or empty: a default set for its type)
 * @param jwks         the app's public keys as a JWKS JSON document (asymmetric and backend types), or null
 * @param jwksUri      where to fetch the app's JWKS instead (asymmetric and backend types), or null
 */
public record ClientSpec(String clientId, String name, ClientType type, List<String> redirectUris, String launchUrl,
        List<String> scopes, String jwks, String jwksUri) {

    public ClientSpec {
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
