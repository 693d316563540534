package dev.fhirbolt.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvBatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
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
 * Codes, access tokens (RS256 JWTs), refresh tokens (opaque, rotated), id tokens, verification, introspection
 * and revocation. Check-and-set steps (code redemption, refresh rotation) run under one lock.
 */
final class TokenService implements TokenVerifier {

    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    static final String OFFLINE = "offline_access";
    static final String ONLINE = "online_access";

    private final AuthStore store;
    private final Clock clock;
    private final AuthSettings settings;
    private final SigningKeys keys;
    private final AdminService admin;
    private final Sessions sessions;
    private final Object lock = new Object();
    private final VerifiedTokens verifiedTokens;
    /**
     * Grants seen unrevoked, so that checking a token does not read and parse its grant's record every time; only
     * {@link #revokeGrant} revokes grants, and it removes them here.
     */
    /**
     * Grants found in force, with when (System.nanoTime): a grant is read again after {@link #ACTIVE_FOR_NANOS}, so
     * that a revocation made on another node of a cluster takes effect here within that time.
     */
    private final Map<String, Long> activeGrants = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long ACTIVE_FOR_NANOS = Duration.ofMillis(500).toNanos();

    TokenService(AuthStore store, Clock clock, AuthSettings settings, SigningKeys keys, AdminService admin,
            Sessions sessions) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.keys = keys;
        this.admin = admin;
        this.sessions = sessions;
        this.verifiedTokens = new VerifiedTokens(kid -> keys.verificationKey(kid).isPresent());
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
        batch.put(AuthStore.GRANTS, AuthStore.key(a.grantId()), Json.bytes(grantRecord(a, now)));
        if (a.username() != null) {
            batch.put(AuthStore.USER_GRANTS, Bytes.key(a.username(), a.grantId()), new byte[0]);
        }
        store.write(batch, true);
        return code;
    }

    private Map<String, Object> grantRecord(Authorization a, Instant now) {
        Map<String, Object> g = Json.object();
        g.put("grantId", a.grantId());
        g.put("clientId", a.clientId());
        if (a.username() != null) {
            g.put("username", a.username());
        }
        g.put("scopes", a.scopes());
        g.put("created", now.toEpochMilli());
        boolean refresh = a.has(OFFLINE) || a.has(ONLINE);
        Duration life = refresh ? settings.offlineRefreshLifetime() : settings.accessTokenLifetime();
        g.put("exp", now.plus(life).plus(settings.accessTokenLifetime()).toEpochMilli());
        return g;
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
                revokeGrant(a.grantId());
                throw OAuthError.invalidGrant("authorization code was already used; its tokens are revoked");
            }
            m.put("used", true);
            if (!store.replaceIf(AuthStore.CODES, key, found.get(), m)) { // redeemed on another node meanwhile
                revokeGrant(a.grantId());
                throw OAuthError.invalidGrant("authorization code was already used; its tokens are revoked");
            }
        }
        Authorization a = Authorization.fromJson(Json.obj(m, "auth"));
        if (!clock.instant().isBefore(Json.instant(m, "expiresAt"))) {
            revokeGrant(a.grantId());
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
        if (isGrantRevoked(a.grantId())) {
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
                revokeGrant(a.grantId());
                throw OAuthError.invalidGrant("refresh token was already used; the authorization is revoked");
            }
            exp = Json.instant(m, "exp");
            offline = Json.bool(m, "offline");
            if (!now.isBefore(exp)) {
                throw OAuthError.invalidGrant("refresh token has expired");
            }
            if (isGrantRevoked(a.grantId())) {
                throw OAuthError.invalidGrant("the authorization was revoked");
            }
            if (!offline && !sessions.isActive(a.sessionId(), a.username())) {
                throw OAuthError.invalidGrant("online access ended with the user's session");
            }
            next = narrow(a, form.get("scope"), offline);
            m.put("used", true);
            if (!store.replaceIf(AuthStore.REFRESH, key, read, m)) { // used on another node meanwhile
                revokeGrant(a.grantId());
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

    // ------------------------------------------------------------- grants and revocation

    AuthStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    void revokeGrant(String grantId) {
        if (grantId == null) {
            return;
        }
        Optional<Map<String, Object>> g = store.get(AuthStore.GRANTS, grantId);
        Map<String, Object> m = g.orElseGet(Json::object);
        m.put("grantId", grantId);
        m.put("revoked", true);
        if (!m.containsKey("exp")) {
            m.put("exp", clock.instant().plus(settings.offlineRefreshLifetime()).toEpochMilli());
        }
        synchronized (lock) {
            store.put(AuthStore.GRANTS, grantId, m, true);
            activeGrants.remove(grantId);
        }
    }

    boolean isGrantRevoked(String grantId) {
        if (grantId == null) {
            return false;
        }
        Long checked = activeGrants.get(grantId);
        if (checked != null && System.nanoTime() - checked < ACTIVE_FOR_NANOS) {
            return false;
        }
        // read again under the lock revocation takes, so a grant revoked meanwhile is never remembered as active
        synchronized (lock) {
            Optional<Map<String, Object>> g = store.get(AuthStore.GRANTS, grantId);
            boolean revoked = g.isEmpty() || Json.bool(g.get(), "revoked");
            if (!revoked) {
                if (activeGrants.size() >= VerifiedTokens.MAX_ENTRIES) {
                    activeGrants.clear();
                }
                activeGrants.put(grantId, System.nanoTime());
            }
            return revoked;
        }
    }

    /** The approvals of a user that are still in force, newest first. */
    List<Map<String, Object>> grantsOf(String username) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (byte[] k : store.keys(AuthStore.USER_GRANTS, Bytes.key(username))) {
            int from = Bytes.key(username).length;
            String grantId = new String(k, from, k.length - from - 1, StandardCharsets.UTF_8); // drop the separator
            store.get(AuthStore.GRANTS, grantId).filter(g -> !Json.bool(g, "revoked"))
                    .filter(g -> Json.lng(g, "exp", 0) > clock.instant().toEpochMilli()).ifPresent(out::add);
        }
        out.sort((x, y) -> Long.compare(Json.lng(y, "created", 0), Json.lng(x, "created", 0)));
        return out;
    }

    /** RFC 7009: revokes a token of this client (others' tokens are ignored, as are unknown ones). */
    void revoke(RegisteredClient client, String token) {
        if (token == null) {
            throw OAuthError.invalidRequest("token is missing");
        }
        Optional<Map<String, Object>> refresh = store.get(AuthStore.REFRESH, Secrets.fingerprint(token));
        if (refresh.isPresent()) {
            Authorization a = Authorization.fromJson(Json.obj(refresh.get(), "auth"));
            if (client == null || a.clientId().equals(client.clientId())) {
                revokeGrant(a.grantId());
                store.delete(AuthStore.REFRESH, Secrets.fingerprint(token), true);
            }
            return;
        }
        Optional<JWTClaimsSet> claims = verifiedClaims(token);
        if (claims.isEmpty()) {
            return;
        }
        JWTClaimsSet c = claims.get();
        if (client != null && !client.clientId().equals(claim(c, "client_id"))) {
            return;
        }
        Map<String, Object> m = Json.object();
        m.put("exp", c.getExpirationTime().getTime() + 1000);
        store.put(AuthStore.REVOKED, c.getJWTID(), m, true);
    }

    // ------------------------------------------------------------- verification and introspection

    private Optional<JWTClaimsSet> verifiedClaims(String token) {
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
        Optional<JWTClaimsSet> claims = verifiedClaims(token);
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
        if (grantId != null && isGrantRevoked(grantId)) {
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

    private static String claim(JWTClaimsSet c, String name) {
        Object v = c.getClaim(name);
        return v == null ? null : v.toString();
    }

    /**
     * RFC 7662. {@code caller} null means an administrator (any token); otherwise only the caller's own tokens
     * are reported active.
     */
    Map<String, Object> introspect(RegisteredClient caller, String token, String baseUrl) {
        Map<String, Object> inactive = Json.object();
        inactive.put("active", false);
        if (token == null) {
            return inactive;
        }
        Optional<AccessGrant> grant = verify(token, baseUrl);
        if (grant.isPresent()) {
            AccessGrant g = grant.get();
            if (caller != null && !caller.clientId().equals(g.clientId())) {
                return inactive;
            }
            Map<String, Object> m = Json.object();
            m.put("active", true);
            m.put("token_type", "Bearer");
            m.put("scope", String.join(" ", g.scopes()));
            m.put("client_id", g.clientId());
            m.put("sub", g.subject());
            m.put("iss", baseUrl);
            m.put("aud", baseUrl);
            m.put("exp", g.expiresAt().getEpochSecond());
            if (g.issuedAt() != null) {
                m.put("iat", g.issuedAt().getEpochSecond());
            }
            m.put("jti", g.tokenId());
            if (g.fhirUser() != null) {
                m.put("fhirUser", baseUrl + "/" + g.fhirUser());
            }
            if (g.patient() != null) {
                m.put("patient", g.patient());
            }
            if (g.encounter() != null) {
                m.put("encounter", g.encounter());
            }
            if (!g.fhirContext().isEmpty()) {
                m.put("fhirContext", Json.contextToJson(g.fhirContext()));
            }
            return m;
        }
        Optional<Map<String, Object>> refresh = store.get(AuthStore.REFRESH, Secrets.fingerprint(token));
        if (refresh.isEmpty()) {
            return inactive;
        }
        Map<String, Object> r = refresh.get();
        Authorization a = Authorization.fromJson(Json.obj(r, "auth"));
        Instant exp = Json.instant(r, "exp");
        boolean active = !Json.bool(r, "used") && clock.instant().isBefore(exp) && !isGrantRevoked(a.grantId())
                && (Json.bool(r, "offline") || sessions.isActive(a.sessionId(), a.username()))
                && (caller == null || caller.clientId().equals(a.clientId()));
        if (!active) {
            return inactive;
        }
        Map<String, Object> m = Json.object();
        m.put("active", true);
        m.put("token_type", "refresh_token");
        m.put("scope", String.join(" ", a.scopes()));
        m.put("client_id", a.clientId());
        if (a.username() != null) {
            m.put("sub", a.username());
        }
        m.put("iss", baseUrl);
        m.put("exp", exp.getEpochSecond());
        if (a.fhirUser() != null) {
            m.put("fhirUser", baseUrl + "/" + a.fhirUser());
        }
        if (a.patient() != null) {
            m.put("patient", a.patient());
        }
        if (a.encounter() != null) {
            m.put("encounter", a.encounter());
        }
        return m;
    }
}
