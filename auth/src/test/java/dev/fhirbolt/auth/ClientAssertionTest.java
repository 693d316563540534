package dev.fhirbolt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** private_key_jwt (RFC 7523, SMART asymmetric) and SMART Backend Services. */
class ClientAssertionTest {

    static TestServer server;
    static String base;
    static String tokenUrl;
    static RSAKey rsa;
    static ECKey ec;
    static RSAKey stranger;
    static RSAKey uriKey;
    static final String BACKEND = "backend-inline";
    static final String BACKEND_URI = "backend-uri";
    static final String ASYM = "asym-app";

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(b -> b.demoSetup(true));
        base = server.base;
        tokenUrl = base + "/auth/token";
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_384).keyID("ec-1").generate();
        stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        uriKey = new RSAKeyGenerator(2048).keyID("uri-1").generate();
        String jwks = new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK())).toString(true);
        AdminService admin = server.auth.admin();
        admin.registerClient(new ClientSpec(BACKEND, "Backend", ClientType.BACKEND_SERVICE, List.of(), null,
                List.of("system/Patient.rs", "system/Observation.rs"), jwks, null));
        server.appJwks = new JWKSet(uriKey.toPublicJWK()).toString(true);
        admin.registerClient(new ClientSpec(BACKEND_URI, "Backend by URL", ClientType.BACKEND_SERVICE, List.of(), null,
                List.of("system/*.rs"), null, base + "/app/jwks"));
        admin.registerClient(new ClientSpec(ASYM, "Asymmetric app", ClientType.CONFIDENTIAL_ASYMMETRIC,
                List.of(base + "/app/callback"), null, null, jwks, null));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static JWTClaimsSet.Builder claims(String clientId) {
        Instant now = server.clock.instant();
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(tokenUrl)
                .expirationTime(Date.from(now.plusSeconds(240))).issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String sign(JWSAlgorithm alg, JWSSigner signer, String kid, URI jku, JWTClaimsSet claims)
            throws Exception {
        JWSHeader.Builder h = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT);
        if (kid != null) {
            h.keyID(kid);
        }
        if (jku != null) {
            h.jwkURL(jku);
        }
        SignedJWT jwt = new SignedJWT(h.build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String rs384(JWTClaimsSet c) throws Exception {
        return sign(JWSAlgorithm.RS384, new RSASSASigner(rsa), "rsa-1", null, c);
    }

    private static Web.Res backend(String assertion, String scope) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("grant_type", "client_credentials");
        f.put("scope", scope);
        f.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        f.put("client_assertion", assertion);
        return new Web(base).token(f);
    }

    private static void assertInvalidClient(Web.Res r) {
        assertEquals(401, r.status(), r.body());
        assertEquals("invalid_client", r.json().get("error"), r.body());
    }

    @Test
    void backendServiceWithRs384AndEs384() throws Exception {
        Web.Res r = backend(rs384(claims(BACKEND).build()), "system/Patient.rs system/Observation.rs");
        assertEquals(200, r.status(), r.body());
        assertEquals("no-store", r.header("Cache-Control"));
        Map<String, Object> t = r.json();
        assertEquals("system/Patient.rs system/Observation.rs", t.get("scope"));
        assertTrue(((Number) t.get("expires_in")).longValue() <= 300);
        assertNull(t.get("refresh_token"));
        AccessGrant g = server.auth.tokenVerifier().verify((String) t.get("access_token"), base).orElseThrow();
        assertEquals(BACKEND, g.clientId());
        assertEquals(BACKEND, g.subject());
        assertNull(g.patient());

        Web.Res es = backend(sign(JWSAlgorithm.ES384, new ECDSASigner(ec), "ec-1", null, claims(BACKEND).build()),
                "system/Patient.r");
        assertEquals(200, es.status(), es.body());
    }

    @Test
    void backendThroughTheNimbusOAuthSdkWithJwksUri() throws Exception {
        PrivateKeyJWT auth = new PrivateKeyJWT(new ClientID(BACKEND_URI), URI.create(tokenUrl), JWSAlgorithm.RS384,
                uriKey.toRSAPrivateKey(), "uri-1", null);
        TokenRequest request = new TokenRequest(URI.create(tokenUrl), auth, new ClientCredentialsGrant(),
                new Scope("system/Observation.rs"));
        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        AccessTokenResponse ok = response.toSuccessResponse();
        assertTrue(ok.getTokens().getAccessToken().getLifetime() <= 300);
        assertTrue(server.auth.tokenVerifier().verify(ok.getTokens().getAccessToken().getValue(), base).isPresent());
        // jku naming the registered jwks_uri is accepted
        Web.Res r = backend(sign(JWSAlgorithm.RS384, new RSASSASigner(uriKey), "uri-1", URI.create(base + "/app/jwks"),
                claims(BACKEND_URI).build()), "system/Observation.rs");
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void badSignature() throws Exception {
        assertInvalidClient(backend(sign(JWSAlgorithm.RS384, new RSASSASigner(stranger), "rsa-1", null,
                claims(BACKEND).build()), "system/Patient.rs"));
    }

    @Test
    void wrongAudience() throws Exception {
        assertInvalidClient(backend(rs384(claims(BACKEND).audience(base).build()), "system/Patient.rs"));
        assertInvalidClient(backend(rs384(claims(BACKEND).audience("https://other.example/token").build()),
                "system/Patient.rs"));
    }

    @Test
    void expTooFarAheadOrPastOrMissing() throws Exception {
        Instant now = server.clock.instant();
        assertInvalidClient(backend(rs384(claims(BACKEND).expirationTime(Date.from(now.plusSeconds(301))).build()),
                "system/Patient.rs"));
        assertInvalidClient(backend(rs384(claims(BACKEND).expirationTime(Date.from(now.minusSeconds(1))).build()),
                "system/Patient.rs"));
        assertInvalidClient(backend(rs384(claims(BACKEND).expirationTime(null).build()), "system/Patient.rs"));
    }

    @Test
    void reusedJti() throws Exception {
        JWTClaimsSet c = claims(BACKEND).build();
        assertEquals(200, backend(rs384(c), "system/Patient.rs").status());
        assertInvalidClient(backend(rs384(c), "system/Patient.rs"));
        assertInvalidClient(backend(rs384(claims(BACKEND).jwtID(null).build()), "system/Patient.rs"));
    }

    @Test
    void unknownOrMissingKid() throws Exception {
        assertInvalidClient(backend(sign(JWSAlgorithm.RS384, new RSASSASigner(rsa), "nope", null,
                claims(BACKEND).build()), "system/Patient.rs"));
        assertInvalidClient(backend(sign(JWSAlgorithm.RS384, new RSASSASigner(rsa), null, null,
                claims(BACKEND).build()), "system/Patient.rs"));
        assertInvalidClient(backend(sign(JWSAlgorithm.RS384, new RSASSASigner(uriKey), "unknown", null,
                claims(BACKEND_URI).build()), "system/Patient.rs"));
    }

    @Test
    void unregisteredJku() throws Exception {
        assertInvalidClient(backend(sign(JWSAlgorithm.RS384, new RSASSASigner(rsa), "rsa-1",
                URI.create("https://attacker.example/jwks"), claims(BACKEND).build()), "system/Patient.rs"));
        assertInvalidClient(backend(sign(JWSAlgorithm.RS384, new RSASSASigner(uriKey), "uri-1",
                URI.create(base + "/app/other-jwks"), claims(BACKEND_URI).build()), "system/Patient.rs"));
    }

    @Test
    void issMustEqualSub() throws Exception {
        assertInvalidClient(backend(rs384(claims(BACKEND).subject("someone-else").build()), "system/Patient.rs"));
        assertInvalidClient(backend(rs384(claims(BACKEND).issuer(BACKEND_URI).build()), "system/Patient.rs"));
    }

    @Test
    void onlyRs384AndEs384() throws Exception {
        assertInvalidClient(backend(sign(JWSAlgorithm.RS256, new RSASSASigner(rsa), "rsa-1", null,
                claims(BACKEND).build()), "system/Patient.rs"));
        // an ES384 header with the RSA key id does not verify either
        assertInvalidClient(backend(sign(JWSAlgorithm.ES384, new ECDSASigner(ec), "rsa-1", null,
                claims(BACKEND).build()), "system/Patient.rs"));
    }

    @Test
    void backendScopesStayWithinTheRegistration() throws Exception {
        Web.Res r = backend(rs384(claims(BACKEND).build()), "system/Condition.rs");
        assertEquals(400, r.status());
        assertEquals("invalid_scope", r.json().get("error"));
        r = backend(rs384(claims(BACKEND).build()), "system/Patient.cruds");
        assertEquals("invalid_scope", r.json().get("error"));
        r = backend(rs384(claims(BACKEND).build()), "user/Patient.rs");
        assertEquals("invalid_scope", r.json().get("error"));
        r = backend(rs384(claims(BACKEND).build()), null);
        assertEquals("invalid_scope", r.json().get("error"));
    }

    @Test
    void backendClientCannotUseTheCodeFlowAndAsymmetricAppCan() throws Exception {
        Map<String, String> req = Web.request(base, BACKEND, "system/Patient.rs", Web.verifier());
        assertEquals(400, new Web(base).get("/auth/authorize?" + Web.formBody(req)).status());

        Web web = new Web(base);
        String v = Web.verifier();
        req = Web.request(base, ASYM, "launch/patient user/*.rs openid fhirUser offline_access", v);
        req.put("_verifier", v);
        Web.Outcome o = web.authorize(req, "practitioner", "practitioner-demo", "demo-patient-1", null, List.of());
        Map<String, Object> f = Web.codeForm(o, null);
        f.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        f.put("client_assertion", sign(JWSAlgorithm.ES384, new ECDSASigner(ec), "ec-1", null, claims(ASYM).build()));
        Web.Res r = web.token(f);
        assertEquals(200, r.status(), r.body());
        assertEquals("demo-patient-1", r.json().get("patient"));
        // its refresh needs its client assertion too: neither nothing nor a bare client_id will do
        Map<String, Object> refresh = new LinkedHashMap<>();
        refresh.put("grant_type", "refresh_token");
        refresh.put("refresh_token", r.json().get("refresh_token"));
        assertInvalidClient(web.token(refresh));
        refresh.put("client_id", ASYM);
        assertInvalidClient(web.token(refresh));
        refresh.remove("client_id");
        refresh.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        refresh.put("client_assertion", rs384(claims(ASYM).build()));
        Web.Res refreshed = web.token(refresh);
        assertEquals(200, refreshed.status(), refreshed.body());
        // and the asymmetric app may not use client_credentials
        Web.Res cc = backend(rs384(claims(ASYM).build()), "system/Patient.rs");
        assertEquals("unauthorized_client", cc.json().get("error"));
    }

    @Test
    void backendTokensExpireWithinFiveMinutes() throws Exception {
        Web.Res r = backend(rs384(claims(BACKEND).build()), "system/Patient.rs");
        String at = (String) r.json().get("access_token");
        server.clock.advance(Duration.ofSeconds(301));
        assertTrue(server.auth.tokenVerifier().verify(at, base).isEmpty());
    }
}
