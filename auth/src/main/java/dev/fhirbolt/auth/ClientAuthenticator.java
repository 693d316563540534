package dev.fhirbolt.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates clients at the token, introspection and revocation endpoints: public clients by client_id,
 * symmetric ones by client_secret_basic or client_secret_post, asymmetric and backend ones by private_key_jwt
 * (RFC 7523, SMART's RS384/ES384 profile).
 */
final class ClientAuthenticator {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final Set<JWSAlgorithm> ASSERTION_ALGS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    private static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(5);
    private static final Duration JWKS_CACHE = Duration.ofMinutes(5);
    private static final Duration JWKS_REFETCH_GAP = Duration.ofSeconds(10);

    private final AdminService admin;
    private final AuthStore store;
    private final Clock clock;
    /**
     * Fetches clients' JWKS URLs. Made on first use: building an HttpClient starts its selector thread and loads a few
     * hundred classes, about 0.4 s of a server's start-up CPU, and most servers never fetch a JWKS URL.
     */
    private volatile HttpClient http;
    private final Map<String, CachedJwks> jwksCache = new ConcurrentHashMap<>();
    private final Object jtiLock = new Object();

    private record CachedJwks(JWKSet set, Instant fetched) {
    }

    ClientAuthenticator(AdminService admin, AuthStore store, Clock clock) {
        this.admin = admin;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Authenticates the caller of a token-style endpoint.
     *
     * @param tokenUrl the absolute token endpoint URL, the required {@code aud} of client assertions
     * @param allowPublic whether a bare client_id is enough (token and revocation endpoints)
     */
    RegisteredClient authenticate(String[] basic, Http.Params form, String tokenUrl, boolean allowPublic) {
        String assertionType = form.get("client_assertion_type");
        String assertion = form.get("client_assertion");
        String formSecret = form.get("client_secret");
        String formClientId = form.get("client_id");
        int methods = (basic != null ? 1 : 0) + (assertion != null || assertionType != null ? 1 : 0)
                + (formSecret != null ? 1 : 0);
        if (methods > 1) {
            throw OAuthError.invalidRequest("use exactly one client authentication method");
        }
        if (basic != null) {
            if (formClientId != null && !formClientId.equals(basic[0])) {
                throw OAuthError.invalidRequest("client_id does not match the Authorization header");
            }
            return bySecret(basic[0], basic[1]);
        }
        if (formSecret != null) {
            return bySecret(formClientId, formSecret);
        }
        if (assertion != null || assertionType != null) {
            if (!JWT_BEARER.equals(assertionType)) {
                throw OAuthError.invalidClient("client_assertion_type must be " + JWT_BEARER);
            }
            if (assertion == null) {
                throw OAuthError.invalidClient("client_assertion is missing");
            }
            return byAssertion(assertion, formClientId, tokenUrl);
        }
        if (formClientId == null) {
            throw OAuthError.invalidClient("client authentication is missing");
        }
        if (!allowPublic) {
            admin.client(formClientId).orElseThrow(() -> OAuthError.invalidClient("unknown client"));
            throw OAuthError.invalidClient("this client must authenticate");
        }
        return publicClient(formClientId);
    }

    /**
     * Whether a request names no client at all: no Authorization header, no client assertion, no client_secret and
     * no client_id. A public client's refresh request may look like this (SMART App Launch: public apps cannot
     * authenticate, so the refresh request lists only grant_type, refresh_token and scope).
     */
    static boolean namesNoClient(String[] basic, Http.Params form) {
        return basic == null && form.get("client_assertion_type") == null && form.get("client_assertion") == null
                && form.get("client_secret") == null && form.get("client_id") == null;
    }

    /**
     * The registered public client with this id; any other client type must authenticate, so it is refused with
     * invalid_client.
     */
    RegisteredClient publicClient(String clientId) {
        RegisteredClient client = admin.client(clientId)
                .orElseThrow(() -> OAuthError.invalidClient("unknown client"));
        if (client.type() != ClientType.PUBLIC) {
            throw OAuthError.invalidClient("this client must authenticate");
        }
        return client;
    }

    private RegisteredClient bySecret(String clientId, String secret) {
        if (clientId == null) {
            throw OAuthError.invalidClient("client_id is missing");
        }
        Optional<RegisteredClient> client = admin.client(clientId);
        if (client.isEmpty() || client.get().type() != ClientType.CONFIDENTIAL_SYMMETRIC
                || !admin.checkSecret(clientId, secret)) {
            throw OAuthError.invalidClient("client authentication failed");
        }
        return client.get();
    }

    private RegisteredClient byAssertion(String assertion, String formClientId, String tokenUrl) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw OAuthError.invalidClient("client_assertion is not a signed JWT");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ASSERTION_ALGS.contains(alg)) {
            throw OAuthError.invalidClient("client_assertion must be signed with RS384 or ES384");
        }
        String iss = claims.getIssuer();
        String sub = claims.getSubject();
        if (iss == null || !iss.equals(sub)) {
            throw OAuthError.invalidClient("client_assertion iss and sub must both be the client_id");
        }
        if (formClientId != null && !formClientId.equals(iss)) {
            throw OAuthError.invalidClient("client_id does not match the client_assertion");
        }
        RegisteredClient client = admin.client(iss).orElseThrow(() -> OAuthError.invalidClient("unknown client"));
        if (!client.type().usesKeys()) {
            throw OAuthError.invalidClient("this client does not use private_key_jwt");
        }
        URI jku = jwt.getHeader().getJWKURL();
        if (jku != null && (client.jwksUri() == null || !client.jwksUri().equals(jku.toString()))) {
            throw OAuthError.invalidClient("jku is not the client's registered jwks_uri");
        }
        String kid = jwt.getHeader().getKeyID();
        if (kid == null) {
            throw OAuthError.invalidClient("client_assertion header needs a kid");
        }
        JWK key = findKey(client, kid).orElseThrow(() -> OAuthError.invalidClient("no registered key has kid " + kid));
        try {
            JWSVerifier verifier;
            if (alg.equals(JWSAlgorithm.RS384) && key instanceof RSAKey rsa) {
                verifier = new RSASSAVerifier(rsa);
            } else if (alg.equals(JWSAlgorithm.ES384) && key instanceof ECKey ec && Curve.P_384.equals(ec.getCurve())) {
                verifier = new ECDSAVerifier(ec);
            } else {
                throw OAuthError.invalidClient("key " + kid + " does not fit algorithm " + alg);
            }
            if (!jwt.verify(verifier)) {
                throw OAuthError.invalidClient("client_assertion signature is invalid");
            }
        } catch (JOSEException e) {
            throw OAuthError.invalidClient("client_assertion signature cannot be checked");
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(tokenUrl)) {
            throw OAuthError.invalidClient("client_assertion aud must be the token endpoint " + tokenUrl);
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw OAuthError.invalidClient("client_assertion needs exp");
        }
        if (!exp.toInstant().isAfter(now)) {
            throw OAuthError.invalidClient("client_assertion has expired");
        }
        if (exp.toInstant().isAfter(now.plus(MAX_ASSERTION_LIFETIME))) {
            throw OAuthError.invalidClient("client_assertion exp is more than five minutes ahead");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plusSeconds(30))) {
            throw OAuthError.invalidClient("client_assertion is not valid yet");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            throw OAuthError.invalidClient("client_assertion needs jti");
        }
        String jtiKey = client.clientId() + "\u0000" + jti;
        synchronized (jtiLock) {
            if (store.get(AuthStore.ASSERTIONS, jtiKey).isPresent()) {
                throw OAuthError.invalidClient("client_assertion jti was used before");
            }
            Map<String, Object> m = Json.object();
            m.put("exp", exp.getTime() + 1000);
            store.put(AuthStore.ASSERTIONS, jtiKey, m, true);
        }
        return client;
    }

    private Optional<JWK> findKey(RegisteredClient client, String kid) {
        if (client.jwks() != null) {
            try {
                JWK k = JWKSet.parse(client.jwks()).getKeyByKeyId(kid);
                if (k != null) {
                    return Optional.of(k);
                }
            } catch (ParseException e) {
                return Optional.empty();
            }
        }
        if (client.jwksUri() == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        CachedJwks cached = jwksCache.get(client.jwksUri());
        if (cached != null && cached.fetched().plus(JWKS_CACHE).isAfter(now)) {
            JWK k = cached.set().getKeyByKeyId(kid);
            if (k != null || cached.fetched().plus(JWKS_REFETCH_GAP).isAfter(now)) {
                return Optional.ofNullable(k);
            }
        }
        JWKSet fetched = fetch(client.jwksUri());
        if (fetched == null) {
            return Optional.empty();
        }
        jwksCache.put(client.jwksUri(), new CachedJwks(fetched, now));
        return Optional.ofNullable(fetched.getKeyByKeyId(kid)).filter(k -> !k.isPrivate());
    }

    private JWKSet fetch(String uri) {
        try {
            HttpResponse<byte[]> r = http().send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 || r.body().length > 256 * 1024) {
                return null;
            }
            return JWKSet.parse(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                            .followRedirects(HttpClient.Redirect.NEVER).build();
                }
                client = http;
            }
        }
        return client;
    }
}
