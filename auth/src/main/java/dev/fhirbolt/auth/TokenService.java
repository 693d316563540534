package dev.fhirbolt.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvBatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issuing: authorization codes (recording their grant, {@link Grants}), access tokens (RS256 JWTs), id tokens and
 * refresh tokens (opaque, rotated) for the three grant types, and revocation (RFC 7009). Check-and-set steps (code
 * redemption, refresh rotation) run under one lock. Tokens are checked by {@link AccessTokenVerifier} and
 * {@link Introspection}.
 */
final class TokenService {

    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    static final String OFFLINE = "offline_access";
    static final String ONLINE = "online_access";

    private final AuthStore store;
    private final Clock clock;
    private final AuthSettings settings;
    private final SigningKeys keys;
    private final AdminService admin;
    private final Sessions sessions;
    private final Grants grants;
    private final AccessTokenVerifier accessTokens;
    private final Object lock = new Object();

    TokenService(AuthStore store, Clock clock, AuthSettings settings, SigningKeys keys, AdminService admin,
            Sessions sessions, Grants grants, AccessTokenVerifier accessTokens) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.keys = keys;
        this.admin = admin;
        this.sessions = sessions;
        this.grants = grants;
        this.accessTokens = accessTokens;
    }

    // ------------------------------------------------------------- codes

    /** Records the approval as a grant and answers a new single-use authorization code for it. */
    String issueCode(Authorization a, String redirectUri, String codeChallenge, String baseUrl) {
        Instant now = clock.instant();
        String code = Secrets.token(32);
        Map<String, Object> m = Json.object();
        m.put("auth", a.toJson());
        m.put("redirectUri", redirectUri);
        m.put("codeChallenge", codeChallenge);
        m.put("baseUrl", baseUrl);
        m.put("expiresAt", now.plus(settings.codeLifetime()).toEpochMilli());
        // kept an hour beyond its validity so that a late replay is still recognised and punished
        m.put("exp", now.plus(settings.codeLifetime()).plus(Duration.ofHours(1)).toEpochMilli());
        KvBatch batch = new KvBatch();
        batch.put(AuthStore.CODES, AuthStore.key(Secrets.fingerprint(code)), Json.bytes(m));
        batch.put(AuthStore.GRANTS, AuthStore.key(a.grantId()), Json.bytes(grants.record(a, now)));
        if (a.username() != null) {
            batch.put(AuthStore.USER_GRANTS, Bytes.key(a.username(), a.grantId()), new byte[0]);
        }
        store.write(batch, true);
        return code;
    }

    Map<String, Object> redeemCode(RegisteredClient client, Http.Params form, String baseUrl) {
        String code = form.get("code");
        String redirectUri = form.get("redirect_uri");
        String verifier = form.get("code_verifier");
        if (code == null) {
            throw OAuthError.invalidRequest("code is missing");
        }
        if (redirectUri == null) {
            throw OAuthError.invalidRequest("redirect_uri is missing");
        }
        if (verifier == null || verifier.isBlank()) {
            throw OAuthError.invalidRequest("code_verifier is missing (PKCE is required)");
        }
        if (!VERIFIER.matcher(verifier).matches()) {
            throw OAuthError.invalidRequest("code_verifier must be 43 to 128 unreserved characters");
        }
        String key = Secrets.fingerprint(code);
        Map<String, Object> m;
        synchronized (lock) {
            Optional<byte[]> found = store.raw(AuthStore.CODES, key);
            if (found.isEmpty()) {
                throw OAuthError.invalidGrant("unknown authorization code");
            }
            m = Json.parse(found.get());
            Authorization a = Authorization.fromJson(Json.obj(m, "auth"));
            if (Json.bool(m, "used")) {
                grants.revoke(a.grantId());
                throw OAuthError.invalidGrant("authorization code was already used; its tokens are revoked");
            }
            m.put("used", true);
            if (!store.replaceIf(AuthStore.CODES, key, found.get(), m)) { // redeemed on another node meanwhile
                grants.revoke(a.grantId());
                throw OAuthError.invalidGrant("authorization code was already used; its tokens are revoked");
            }
        }
        Authorization a = Authorization.fromJson(Json.obj(m, "auth"));
        if (!clock.instant().isBefore(Json.instant(m, "expiresAt"))) {
            grants.revoke(a.grantId());
            throw OAuthError.invalidGrant("authorization code has expired");
        }
        if (!a.clientId().equals(client.clientId())) {
            throw OAuthError.invalidGrant("authorization code was issued to another client");
        }
        if (!redirectUri.equals(Json.str(m, "redirectUri"))) {
            throw OAuthError.invalidGrant("redirect_uri differs from the authorization request");
        }
        if (!Secrets.equal(s256(verifier), Json.str(m, "codeChallenge"))) {
            throw OAuthError.invalidGrant("code_verifier does not match the code_challenge");
        }
        if (!baseUrl.equals(Json.str(m, "baseUrl"))) {
            throw OAuthError.invalidGrant("the code was issued for another server address");
        }
        if (grants.isRevoked(a.grantId())) {
            throw OAuthError.invalidGrant("the authorization was revoked");
        }
        return issueTokens(a, baseUrl, true, a, null);
    }

    static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------- issuing

    /**
     * The token response for {@code a}; the refresh token, if {@code a} has offline or online access, carries
     * {@code refreshGrant} (RFC 6749 §6: a rotated refresh token keeps the scope of the one it replaces, even when
     * the access token was narrowed).
     */
    private Map<String, Object> issueTokens(Authorization a, String baseUrl, boolean withIdToken,
            Authorization refreshGrant, Instant refreshExpiry) {
        Instant now = clock.instant();
        Duration life = settings.accessTokenLifetime();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", accessToken(a, baseUrl, now, life));
        out.put("token_type", "Bearer");
        out.put("expires_in", life.toSeconds());
        out.put("scope", String.join(" ", a.scopes()));
        if (withIdToken && a.has("openid") && a.username() != null) {
            out.put("id_token", idToken(a, baseUrl, now));
        }
        if (a.has(OFFLINE) || a.has(ONLINE)) {
            out.put("refresh_token", newRefreshToken(refreshGrant, now, refreshExpiry));
        }
        if (a.patient() != null) {
            out.put("patient", a.patient());
        }
        if (a.encounter() != null) {
            out.put("encounter", a.encounter());
        }
        if (!a.fhirContext().isEmpty()) {
            out.put("fhirContext", Json.contextToJson(a.fhirContext()));
        }
        if (a.patient() != null) {
            out.put("need_patient_banner", a.needPatientBanner());
        }
        out.put("smart_style_url", baseUrl + "/auth/smart-style.json");
        return out;
    }

    private String accessToken(Authorization a, String baseUrl, Instant now, Duration life) {
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(baseUrl).audience(baseUrl)
                .subject(a.username() != null ? a.username() : a.clientId()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(life))).jwtID(Secrets.token(16))
                .claim("client_id", a.clientId()).claim("scope", String.join(" ", a.scopes()));
        if (a.grantId() != null) {
            c.claim("grant_id", a.grantId());
        }
        if (a.fhirUser() != null) {
            c.claim("fhirUser", a.fhirUser());
        }
        if (a.patient() != null) {
            c.claim("patient", a.patient());
        }
        if (a.encounter() != null) {
            c.claim("encounter", a.encounter());
        }
        if (!a.fhirContext().isEmpty()) {
            c.claim("fhirContext", Json.contextToJson(a.fhirContext()));
        }
        return sign(c.build(), new JOSEObjectType("at+jwt"));
    }

    private String idToken(Authorization a, String baseUrl, Instant now) {
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(baseUrl).audience(a.clientId())
                .subject(a.username()).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(settings
                        .accessTokenLifetime()))).jwtID(Secrets.token(16));
        if (a.nonce() != null) {
            c.claim("nonce", a.nonce());
        }
        if (a.authTime() != null) {
            c.claim("auth_time", a.authTime().getEpochSecond());
        }
        if (a.fhirUser() != null && (a.has("fhirUser") || a.has("openid"))) {
            c.claim("fhirUser", baseUrl + "/" + a.fhirUser());
        }
        if (a.has("profile")) {
            admin.user(a.username()).ifPresent(u -> c.claim("name", u.displayName()));
        }
        return sign(c.build(), JOSEObjectType.JWT);
    }

    private String sign(JWTClaimsSet claims, JOSEObjectType type) {
        RSAKey key = keys.signingKey();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(type)
                .build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }

    private String newRefreshToken(Authorization a, Instant now, Instant keepExpiry) {
        String token = Secrets.token(32);
        Map<String, Object> m = Json.object();
        m.put("auth", a.toJson());
        boolean offline = a.has(OFFLINE);
        m.put("offline", offline);
        Instant exp = keepExpiry != null ? keepExpiry
                : now.plus(offline ? settings.offlineRefreshLifetime() : settings.sessionLifetime());
        m.put("exp", exp.toEpochMilli());
        store.put(AuthStore.REFRESH, Secrets.fingerprint(token), m, true);
        return token;
    }

    /** client_credentials for backend services: system/ scopes within the registration, no refresh token. */
    Map<String, Object> clientCredentials(RegisteredClient client, Http.Params form, String baseUrl) {
        if (client.type() != ClientType.BACKEND_SERVICE) {
            throw OAuthError.unauthorizedClient("only backend service clients may use client_credentials");
        }
        String scope = form.get("scope");
        if (scope == null) {
            throw OAuthError.invalidScope("scope is required");
        }
        List<String> unknown = SmartScope.unknownTokens(scope);
        if (!unknown.isEmpty()) {
            throw OAuthError.invalidScope("unknown scope " + unknown.get(0));
        }
        List<SmartScope> allowed = client.allowedScopes();
        List<String> granted = new ArrayList<>();
        for (SmartScope s : SmartScope.parseAll(scope)) {
            if (!s.isResourceScope() || s.context() != SmartScope.Context.SYSTEM) {
                throw OAuthError.invalidScope("backend services may ask for system/ scopes only, not " + s.raw());
            }
            if (!SmartScope.coveredBy(s, allowed)) {
                throw OAuthError.invalidScope("scope " + s.raw() + " is beyond what the client was registered for");
            }
            granted.add(s.raw());
        }
        Instant now = clock.instant();
        Authorization a = new Authorization(null, client.clientId(), null, null, granted, null, null, List.of(),
                false, null, null, null);
        Duration life = settings.backendTokenLifetime();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", accessToken(a, baseUrl, now, life));
        out.put("token_type", "Bearer");
        out.put("expires_in", life.toSeconds());
        out.put("scope", String.join(" ", granted));
        return out;
    }

    /**
     * The client a refresh token was issued to, for a refresh request that names no client (a public app's); the
     * token is only looked at here: {@link #refresh} does every check and the rotation.
     */
    String refreshTokenClientId(String token) {
        if (token == null) {
            throw OAuthError.invalidRequest("refresh_token is missing");
        }
        Map<String, Object> m = store.get(AuthStore.REFRESH, Secrets.fingerprint(token))
                .orElseThrow(() -> OAuthError.invalidGrant("unknown refresh token"));
        return Authorization.fromJson(Json.obj(m, "auth")).clientId();
    }

    /** refresh_token grant: bound to its client, scope may only narrow, the token rotates. */
    Map<String, Object> refresh(RegisteredClient client, Http.Params form, String baseUrl) {
        String token = form.get("refresh_token");
        if (token == null) {
            throw OAuthError.invalidRequest("refresh_token is missing");
        }
        String key = Secrets.fingerprint(token);
        Instant now = clock.instant();
        Authorization a;
        Authorization next;
        Instant exp;
        boolean offline;
        synchronized (lock) {
            byte[] read = store.raw(AuthStore.REFRESH, key)
                    .orElseThrow(() -> OAuthError.invalidGrant("unknown refresh token"));
            Map<String, Object> m = Json.parse(read);
            a = Authorization.fromJson(Json.obj(m, "auth"));
            if (!a.clientId().equals(client.clientId())) {
                throw OAuthError.invalidGrant("refresh token was issued to another client");
            }
            if (Json.bool(m, "used")) {
                grants.revoke(a.grantId());
                throw OAuthError.invalidGrant("refresh token was already used; the authorization is revoked");
            }
            exp = Json.instant(m, "exp");
            offline = Json.bool(m, "offline");
            if (!now.isBefore(exp)) {
                throw OAuthError.invalidGrant("refresh token has expired");
            }
            if (grants.isRevoked(a.grantId())) {
                throw OAuthError.invalidGrant("the authorization was revoked");
            }
            if (!offline && !sessions.isActive(a.sessionId(), a.username())) {
                throw OAuthError.invalidGrant("online access ended with the user's session");
            }
            next = narrow(a, form.get("scope"), offline);
            m.put("used", true);
            if (!store.replaceIf(AuthStore.REFRESH, key, read, m)) { // used on another node meanwhile
                grants.revoke(a.grantId());
                throw OAuthError.invalidGrant("refresh token was already used; the authorization is revoked");
            }
        }
        // rotation keeps the original expiry and scope: a grant's life is not extended by using it, and a narrowed
        // request narrows only the access token
        return issueTokens(next, baseUrl, false, a, exp);
    }

    /** The original authorization, or a narrower one when the refresh request names a subset of its scopes. */
    private static Authorization narrow(Authorization a, String scope, boolean offline) {
        if (scope == null) {
            return a;
        }
        if (scope.isBlank()) {
            throw OAuthError.invalidScope("scope is empty; leave it out to keep the original scopes");
        }
        List<String> narrowed = new ArrayList<>();
        for (String s : scope.trim().split("\\s+")) {
            if (!a.scopes().contains(s)) {
                throw OAuthError.invalidScope("scope " + s + " was not part of the original grant");
            }
            if (!narrowed.contains(s)) {
                narrowed.add(s);
            }
        }
        if (!narrowed.contains(OFFLINE) && !narrowed.contains(ONLINE)) {
            // the refresh token itself needs one of them; keep the original one
            narrowed.add(offline ? OFFLINE : ONLINE);
        }
        return a.withScopes(narrowed);
    }

    // ------------------------------------------------------------- revocation

    /** RFC 7009: revokes a token of this client (others' tokens are ignored, as are unknown ones). */
    void revoke(RegisteredClient client, String token) {
        if (token == null) {
            throw OAuthError.invalidRequest("token is missing");
        }
        Optional<Map<String, Object>> refresh = store.get(AuthStore.REFRESH, Secrets.fingerprint(token));
        if (refresh.isPresent()) {
            Authorization a = Authorization.fromJson(Json.obj(refresh.get(), "auth"));
            if (client == null || a.clientId().equals(client.clientId())) {
                grants.revoke(a.grantId());
                store.delete(AuthStore.REFRESH, Secrets.fingerprint(token), true);
            }
            return;
        }
        Optional<JWTClaimsSet> claims = accessTokens.claims(token);
        if (claims.isEmpty()) {
            return;
        }
        JWTClaimsSet c = claims.get();
        if (client != null && !client.clientId().equals(AccessTokenVerifier.claim(c, "client_id"))) {
            return;
        }
        Map<String, Object> m = Json.object();
        m.put("exp", c.getExpirationTime().getTime() + 1000);
        store.put(AuthStore.REVOKED, c.getJWTID(), m, true);
    }
}
