package dev.fhirbolt.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies the access tokens this server issued, as the FHIR API and the admin API receive them: an RS256
 * {@code at+jwt} signed with one of this server's keys (signatures remembered by {@link VerifiedTokens}), issuer and
 * audience this server, not expired, not revoked itself nor its grant, its client still registered.
 */
final class AccessTokenVerifier implements TokenVerifier {

    private final AuthStore store;
    private final Clock clock;
    private final SigningKeys keys;
    private final AdminService admin;
    private final Grants grants;
    private final VerifiedTokens verifiedTokens;

    AccessTokenVerifier(AuthStore store, Clock clock, SigningKeys keys, AdminService admin, Grants grants) {
        this.store = store;
        this.clock = clock;
        this.keys = keys;
        this.admin = admin;
        this.grants = grants;
        this.verifiedTokens = new VerifiedTokens(kid -> keys.verificationKey(kid).isPresent());
    }

    /** The claims of an access token whose signature verifies with one of this server's keys (nothing else checked). */
    Optional<JWTClaimsSet> claims(String token) {
        return verifiedTokens.claims(token, this::verifySignature);
    }

    private Optional<VerifiedTokens.Verified> verifySignature(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !new JOSEObjectType("at+jwt").equals(jwt.getHeader().getType())) {
                return Optional.empty();
            }
            String kid = jwt.getHeader().getKeyID();
            Optional<RSAKey> key = kid == null ? Optional.empty() : keys.verificationKey(kid);
            if (key.isEmpty() || !jwt.verify(new RSASSAVerifier(key.get()))) {
                return Optional.empty();
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (c.getExpirationTime() == null || c.getJWTID() == null) {
                return Optional.empty();
            }
            return Optional.of(new VerifiedTokens.Verified(kid, c));
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<AccessGrant> verify(String bearerToken, String fhirBaseUrl) {
        if (bearerToken == null || fhirBaseUrl == null) {
            return Optional.empty();
        }
        return check(bearerToken, AuthSettings.trimSlash(fhirBaseUrl));
    }

    @Override
    public Optional<AccessGrant> verify(String bearerToken) {
        if (bearerToken == null) {
            return Optional.empty();
        }
        return check(bearerToken, null);
    }

    private Optional<AccessGrant> check(String token, String expectedAud) {
        Optional<JWTClaimsSet> claims = claims(token);
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        JWTClaimsSet c = claims.get();
        String iss = c.getIssuer();
        List<String> aud = c.getAudience();
        String wanted = expectedAud != null ? expectedAud : iss;
        if (iss == null || aud == null || aud.size() != 1 || !aud.get(0).equals(wanted) || !iss.equals(wanted)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(c.getExpirationTime().toInstant())) {
            return Optional.empty();
        }
        if (store.get(AuthStore.REVOKED, c.getJWTID()).isPresent()) {
            return Optional.empty();
        }
        String grantId = claim(c, "grant_id");
        if (grantId != null && grants.isRevoked(grantId)) {
            return Optional.empty();
        }
        String clientId = claim(c, "client_id");
        if (!admin.clientExists(clientId)) {
            return Optional.empty();
        }
        String scope = claim(c, "scope");
        List<String> scopes = scope == null || scope.isBlank() ? List.of() : List.of(scope.trim().split("\\s+"));
        List<FhirContextItem> ctx = List.of();
        Object raw = c.getClaim("fhirContext");
        if (raw instanceof List<?>) {
            Map<String, Object> holder = Json.object();
            holder.put("c", raw);
            ctx = Json.contextFromJson(Json.objects(holder, "c"));
        }
        return Optional.of(new AccessGrant(c.getJWTID(), clientId, c.getSubject(), claim(c, "fhirUser"), scopes,
                claim(c, "patient"), claim(c, "encounter"), ctx, c.getIssueTime() == null ? null
                        : c.getIssueTime().toInstant(), c.getExpirationTime().toInstant(), grantId));
    }

    static String claim(JWTClaimsSet c, String name) {
        Object v = c.getClaim(name);
        return v == null ? null : v.toString();
    }
}
