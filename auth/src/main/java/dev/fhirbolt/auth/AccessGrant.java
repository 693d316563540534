package dev.fhirbolt.auth;

import java.time.Instant;
import java.util.List;

/**
 * What a verified access token allows: everything a scope-enforcement layer needs to decide a FHIR request.
 *
 * @param tokenId     the token's {@code jti}
 * @param clientId    the app the token was issued to
 * @param subject     the signed-in user's id ({@code sub}); for backend services the client id
 * @param fhirUser    the user's FHIR resource ({@code Practitioner/123}, {@code Patient/abc}, ...), or null
 * @param scopes      the granted scope strings, exactly as granted
 * @param patient     the patient context id (no {@code Patient/} prefix), or null
 * @param encounter   the encounter context id, or null
 * @param fhirContext further launch context, possibly empty
 * @param issuedAt    when the token was issued
 * @param expiresAt   when it stops being valid
 * @param grantId     the authorization the token came from (all tokens of one approval share it)
 */
public record AccessGrant(String tokenId, String clientId, String subject, String fhirUser, List<String> scopes,
        String patient, String encounter, List<FhirContextItem> fhirContext, Instant issuedAt, Instant expiresAt,
        String grantId) {

    public AccessGrant {
        scopes = List.copyOf(scopes);
        fhirContext = fhirContext == null ? List.of() : List.copyOf(fhirContext);
    }

    /** The granted scopes that {@link SmartScope} understands, parsed. */
    public List<SmartScope> parsedScopes() {
        return SmartScope.parseAll(String.join(" ", scopes));
    }

    /** The granted resource scopes (patient/, user/ and system/). */
    public List<SmartScope> resourceScopes() {
        return parsedScopes().stream().filter(SmartScope::isResourceScope).toList();
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
