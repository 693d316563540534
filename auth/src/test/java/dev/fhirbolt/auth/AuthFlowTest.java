package dev.fhirbolt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The authorization code flow over plain HTTP (the pages driven as forms), and every rule around it. */
class AuthFlowTest {

    static TestServer server;
    static String base;
    static String secret;
    static final String CONFIDENTIAL = "conf-app";
    static final String OTHER_PUBLIC = "other-public";

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
        base = server.base;
        AdminService admin = server.auth.admin();
        secret = admin.registerClient(new ClientSpec(CONFIDENTIAL, "Confidential app", ClientType.CONFIDENTIAL_SYMMETRIC,
                List.of(base + "/app/callback"), null, null, null, null)).clientSecret();
        admin.registerClient(new ClientSpec(OTHER_PUBLIC, "Other app", ClientType.PUBLIC,
                List.of(base + "/app/callback"), null, List.of("patient/Observation.rs", "launch/patient",
                        "offline_access"), null, null));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private Web.Outcome patientLogin(Web web, String clientId, String scope, List<String> untick) throws Exception {
        String v = Web.verifier();
        Map<String, String> req = Web.request(base, clientId, scope, v);
        req.put("nonce", "n-123");
        req.put("_verifier", v);
        return web.authorize(req, "patient1", "patient1-demo", null, null, untick);
    }

    // ------------------------------------------------------------------ discovery

    @Test
    void discoveryDocuments() throws Exception {
        Web web = new Web(base);
        Web.Res r = web.get("/.well-known/smart-configuration", "Accept", "text/html");
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        assertEquals("*", r.header("Access-Control-Allow-Origin"));
        Map<String, Object> c = r.json();
        assertEquals(base, c.get("issuer"));
        assertEquals(base + "/auth/authorize", c.get("authorization_endpoint"));
        assertEquals(base + "/auth/token", c.get("token_endpoint"));
        assertEquals(base + "/auth/jwks", c.get("jwks_uri"));
        assertEquals(base + "/auth/introspect", c.get("introspection_endpoint"));
        assertEquals(base + "/auth/revoke", c.get("revocation_endpoint"));
        assertEquals(base + "/auth/register", c.get("registration_endpoint"));
        assertEquals(base + "/auth/manage", c.get("management_endpoint"));
        assertEquals(List.of("S256"), c.get("code_challenge_methods_supported"));
        assertEquals(List.of("code"), c.get("response_types_supported"));
        assertEquals(List.of("RS384", "ES384"), c.get("token_endpoint_auth_signing_alg_values_supported"));
        assertEquals(List.of("private_key_jwt", "client_secret_basic", "client_secret_post"),
                c.get("token_endpoint_auth_methods_supported"));
        assertTrue(((List<?>) c.get("grant_types_supported")).containsAll(
                List.of("authorization_code", "client_credentials", "refresh_token")));
        assertTrue(((List<?>) c.get("capabilities")).containsAll(AuthHandler.CAPABILITIES));
        Map<String, Object> oidc = web.get("/.well-known/openid-configuration").json();
        assertEquals(base, oidc.get("issuer"));
        assertEquals(List.of("RS256"), oidc.get("id_token_signing_alg_values_supported"));
        JWKSet jwks = JWKSet.parse(web.get("/auth/jwks").body());
        assertEquals(1, jwks.getKeys().size());
        assertFalse(jwks.getKeys().get(0).isPrivate());
        assertNotNull(jwks.getKeys().get(0).getKeyID());
        Map<String, Object> style = web.get("/auth/smart-style.json").json();
        assertNotNull(style.get("color_background"));
        Web.Res pre = web.sendJson("OPTIONS", "/auth/token", null, "Origin", "http://app.example",
                "Access-Control-Request-Method", "POST");
        assertEquals(204, pre.status());
        assertEquals("*", pre.header("Access-Control-Allow-Origin"));
    }

    @Test
    void otherPathsAreLeftToTheFhirHandler() throws Exception {
        Web.Res r = new Web(base).get("/metadata");
        assertEquals(200, r.status());
        assertTrue(r.body().contains("CapabilityStatement"));
    }

    @Test
    void faviconIsAnsweredWithoutAToken() throws Exception {
        Web.Res r = new Web(base).get("/favicon.ico");
        assertEquals(200, r.status());
        assertEquals("image/x-icon", r.header("Content-Type"));
        byte[] ico = Favicon.bytes();
        assertEquals(List.of(0, 1, 1), List.of((int) ico[0], (int) ico[2], (int) ico[4]), "an ICO with one image");
        assertEquals(6 + 16 + 40 + 16 * 16 * 4 + 16 * 4, ico.length);
        assertEquals(405, new Web(base).postForm("/favicon.ico", Map.of()).status());
    }

    // ------------------------------------------------------------------ standalone patient launch

    @Test
    void standalonePatientLaunchGivesOwnPatientIdTokenAndRefresh() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = patientLogin(web, "demo-app",
                "launch/patient openid fhirUser patient/*.rs offline_access", List.of());
        assertNotNull(o.code());
        Web.Res r = web.token(Web.codeForm(o, "demo-app"));
        assertEquals(200, r.status(), r.body());
        assertEquals("no-store", r.header("Cache-Control"));
        assertEquals("no-cache", r.header("Pragma"));
        Map<String, Object> t = r.json();
        assertEquals("Bearer", t.get("token_type"));
        assertEquals("demo-patient-1", t.get("patient"));
        assertEquals(true, t.get("need_patient_banner"));
        assertTrue(((Number) t.get("expires_in")).longValue() <= 3600);
        assertEquals("launch/patient openid fhirUser patient/*.rs offline_access", t.get("scope"));
        assertNotNull(t.get("refresh_token"));
        assertEquals(base + "/auth/smart-style.json", t.get("smart_style_url"));

        SignedJWT id = SignedJWT.parse((String) t.get("id_token"));
        RSAKey key = (RSAKey) JWKSet.parse(web.get("/auth/jwks").body()).getKeyByKeyId(id.getHeader().getKeyID());
        assertTrue(id.verify(new RSASSAVerifier(key)));
        assertEquals("RS256", id.getHeader().getAlgorithm().getName());
        assertEquals(base, id.getJWTClaimsSet().getIssuer());
        assertEquals(List.of("demo-app"), id.getJWTClaimsSet().getAudience());
        assertEquals("patient1", id.getJWTClaimsSet().getSubject());
        assertEquals("n-123", id.getJWTClaimsSet().getClaim("nonce"));
        assertEquals(base + "/Patient/demo-patient-1", id.getJWTClaimsSet().getClaim("fhirUser"));

        AccessGrant g = server.auth.tokenVerifier().verify((String) t.get("access_token"), base).orElseThrow();
        assertEquals("demo-app", g.clientId());
        assertEquals("patient1", g.subject());
        assertEquals("Patient/demo-patient-1", g.fhirUser());
        assertEquals("demo-patient-1", g.patient());
        assertTrue(g.hasScope("patient/*.rs"));
        assertEquals(1, g.resourceScopes().size());
        assertTrue(server.auth.tokenVerifier().verify((String) t.get("access_token")).isPresent());
        assertTrue(server.auth.tokenVerifier().verify((String) t.get("access_token"), base + "/").isPresent());
        assertTrue(server.auth.tokenVerifier().verify((String) t.get("access_token"), "http://elsewhere").isEmpty());
        assertTrue(server.auth.tokenVerifier().verify("garbage").isEmpty());
    }

    @Test
    void consentUntickedScopesAreNotGranted() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = patientLogin(web, "demo-app",
                "launch/patient patient/Observation.rs patient/Condition.rs patient/MedicationRequest.rs",
                List.of("patient/Condition.rs"));
        Map<String, Object> t = web.token(Web.codeForm(o, "demo-app")).json();
        assertEquals("launch/patient patient/Observation.rs patient/MedicationRequest.rs", t.get("scope"));
        assertNull(t.get("refresh_token"));
        assertNull(t.get("id_token"));
    }

    @Test
    void scopesBeyondTheRegistrationAreDropped() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = patientLogin(web, OTHER_PUBLIC, "launch/patient patient/Observation.rs patient/Condition.rs "
                + "user/Patient.rs system/*.rs", List.of());
        Map<String, Object> t = web.token(Web.codeForm(o, OTHER_PUBLIC)).json();
        assertEquals("launch/patient patient/Observation.rs", t.get("scope"));
    }

    @Test
    void consentDenialRedirectsAccessDenied() throws Exception {
        Web web = new Web(base);
        String v = Web.verifier();
        Map<String, String> req = Web.request(base, "demo-app", "patient/*.rs", v);
        Web.Res r = web.get(web.get("/auth/authorize?" + Web.formBody(req)).location());
        String flow = Web.queryOf(web.get("/auth/authorize?" + Web.formBody(req)).location()).get("id");
        r = web.get("/auth/flow?id=" + flow);
        Web.Res login = web.postForm("/auth/login", Map.of("csrf", Web.field(r.body(), "csrf"), "flow", flow,
                "username", "patient2", "password", "patient2-demo"));
        Web.Res consent = web.get(login.location());
        Web.Res deny = web.postForm("/auth/consent", Map.of("csrf", Web.field(consent.body(), "csrf"), "flow", flow,
                "decision", "deny"));
        Map<String, String> q = Web.queryOf(deny.location());
        assertEquals("access_denied", q.get("error"));
        assertEquals(req.get("state"), q.get("state"));
        assertNull(q.get("code"));
    }

    @Test
    void practitionerStandaloneLaunchPicksPatientAndEncounter() throws Exception {
        Web web = new Web(base);
        String v = Web.verifier();
        Map<String, String> req = Web.request(base, "demo-app",
                "launch/patient launch/encounter openid fhirUser user/*.rs online_access", v);
        req.put("_verifier", v);
        Web.Outcome o = web.authorize(req, "practitioner", "practitioner-demo", "p-carol", "enc-2", List.of());
        Map<String, Object> t = web.token(Web.codeForm(o, "demo-app")).json();
        assertEquals("p-carol", t.get("patient"));
        assertEquals("enc-2", t.get("encounter"));
        assertEquals("launch/patient launch/encounter openid fhirUser user/*.rs online_access", t.get("scope"));
        SignedJWT id = SignedJWT.parse((String) t.get("id_token"));
        assertEquals(base + "/Practitioner/demo-practitioner", id.getJWTClaimsSet().getClaim("fhirUser"));

        // online access ends with the session: refresh works, then sign out, then it does not
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("grant_type", "refresh_token");
        f.put("refresh_token", t.get("refresh_token"));
        f.put("client_id", "demo-app");
        Web.Res r1 = web.token(f);
        assertEquals(200, r1.status(), r1.body());
        Web.Res logoutPage = web.get("/auth/logout");
        web.postForm("/auth/logout", Map.of("csrf", Web.field(logoutPage.body(), "csrf")));
        f.put("refresh_token", r1.json().get("refresh_token"));
        Web.Res r2 = web.token(f);
        assertEquals(400, r2.status());
        assertEquals("invalid_grant", r2.json().get("error"));
    }

    @Test
    void patientPickerRejectsUnknownPatients() throws Exception {
        Web web = new Web(base);
        Map<String, String> req = Web.request(base, "demo-app", "launch/patient patient/*.rs", Web.verifier());
        String flow = Web.queryOf(web.get("/auth/authorize?" + Web.formBody(req)).location()).get("id");
        Web.Res page = web.get("/auth/flow?id=" + flow);
        Web.Res login = web.postForm("/auth/login", Map.of("csrf", Web.field(page.body(), "csrf"), "flow", flow,
                "username", "practitioner", "password", "practitioner-demo"));
        Web.Res picker = web.get(login.location());
        assertTrue(picker.body().contains("Choose a patient"));
        Web.Res bad = web.postForm("/auth/pick", Map.of("csrf", Web.field(picker.body(), "csrf"), "flow", flow,
                "patient", "no-such-patient"));
        assertEquals(400, bad.status());
        Web.Res noCsrf = web.postForm("/auth/pick", Map.of("csrf", "wrong", "flow", flow, "patient", "p-carol"));
        assertEquals(400, noCsrf.status());
    }

    // ------------------------------------------------------------------ authorize rules

    private Web.Res authorizeRaw(Map<String, String> req) throws Exception {
        return new Web(base).get("/auth/authorize?" + Web.formBody(req));
    }

    @Test
    void unknownClientOrMismatchedRedirectShowsAnErrorPageAndNeverRedirects() throws Exception {
        Map<String, String> req = Web.request(base, "no-such-client", "patient/*.rs", Web.verifier());
        Web.Res r = authorizeRaw(req);
        assertEquals(400, r.status());
        assertNull(r.location());
        assertTrue(r.body().contains("not registered"));

        req = Web.request(base, "demo-app", "patient/*.rs", Web.verifier());
        req.put("redirect_uri", base + "/app/callback/evil");
        r = authorizeRaw(req);
        assertEquals(400, r.status());
        assertNull(r.location());
        req.put("redirect_uri", "https://evil.example/callback");
        assertEquals(400, authorizeRaw(req).status());
        req.remove("redirect_uri");
        assertEquals(400, authorizeRaw(req).status());
        assertEquals("DENY", r.header("X-Frame-Options"));
        assertTrue(r.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
    }

    private Map<String, String> errorRedirect(Map<String, String> req) throws Exception {
        Web.Res r = authorizeRaw(req);
        assertEquals(303, r.status(), r.body());
        assertTrue(r.location().startsWith(base + "/app/callback?"), r.location());
        Map<String, String> q = Web.queryOf(r.location());
        assertNull(q.get("code"));
        return q;
    }

    @Test
    void wrongAudIsRefusedWithoutACode() throws Exception {
        Map<String, String> req = Web.request(base, "demo-app", "patient/*.rs", Web.verifier());
        req.put("aud", "https://other-fhir.example/fhir");
        Map<String, String> q = errorRedirect(req);
        assertEquals("invalid_request", q.get("error"));
        assertEquals(req.get("state"), q.get("state"));
        req.remove("aud");
        assertEquals("invalid_request", errorRedirect(req).get("error"));
    }

    @Test
    void pkceIsRequiredAndOnlyS256() throws Exception {
        String v = Web.verifier();
        Map<String, String> req = Web.request(base, "demo-app", "patient/*.rs", v);
        req.put("code_challenge_method", "plain");
        req.put("code_challenge", v);
        assertEquals("invalid_request", errorRedirect(req).get("error"));
        req.remove("code_challenge_method");
        assertEquals("invalid_request", errorRedirect(req).get("error"));
        req = Web.request(base, "demo-app", "patient/*.rs", v);
        req.remove("code_challenge");
        req.remove("code_challenge_method");
        assertEquals("invalid_request", errorRedirect(req).get("error"));
    }

    @Test
    void otherAuthorizeErrors() throws Exception {
        Map<String, String> req = Web.request(base, "demo-app", "patient/*.rs", Web.verifier());
        req.put("response_type", "token");
        assertEquals("unsupported_response_type", errorRedirect(req).get("error"));
        req = Web.request(base, "demo-app", "bogus", Web.verifier());
        assertEquals("invalid_scope", errorRedirect(req).get("error"));
        req = Web.request(base, "demo-app", "launch patient/*.rs", Web.verifier());
        req.put("launch", "no-such-launch");
        assertEquals("invalid_request", errorRedirect(req).get("error"));
        req = Web.request(base, "demo-app", "patient/*.rs", Web.verifier());
        req.remove("state");
        assertEquals("invalid_request", errorRedirect(req).get("error"));
    }

    @Test
    void stateIsReturnedExactly() throws Exception {
        Web web = new Web(base);
        String v = Web.verifier();
        Map<String, String> req = Web.request(base, "demo-app", "launch/patient patient/*.rs", v);
        req.put("state", "a b&c=d/é?+%");
        req.put("_verifier", v);
        Web.Outcome o = web.authorize(req, "patient2", "patient2-demo", null, null, List.of());
        assertEquals("a b&c=d/é?+%", o.redirect().get("state"));
        assertEquals("demo-patient-2", web.token(Web.codeForm(o, "demo-app")).json().get("patient"));
    }

    @Test
    void authorizeByPost() throws Exception {
        Web web = new Web(base);
        Map<String, String> req = Web.request(base, "demo-app", "patient/*.rs", Web.verifier());
        Web.Res r = web.postForm("/auth/authorize", req);
        assertEquals(303, r.status());
        assertTrue(r.location().startsWith("/auth/flow?id="));
    }

    // ------------------------------------------------------------------ code rules

    private Web.Outcome freshCode(Web web) throws Exception {
        return patientLogin(web, "demo-app", "launch/patient patient/*.rs offline_access", List.of());
    }

    private static void assertError(Web.Res r, int status, String error) {
        assertEquals(status, r.status(), r.body());
        assertEquals(error, r.json().get("error"), r.body());
        assertEquals("no-store", r.header("Cache-Control"));
    }

    @Test
    void codeVerifierMustMatch() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = freshCode(web);
        Map<String, Object> f = Web.codeForm(o, "demo-app");
        f.put("code_verifier", Web.verifier());
        assertError(web.token(f), 400, "invalid_grant");

        o = freshCode(web);
        f = Web.codeForm(o, "demo-app");
        f.remove("code_verifier");
        assertError(web.token(f), 400, "invalid_request");

        o = freshCode(web);
        f = Web.codeForm(o, "demo-app");
        f.put("code_verifier", "");
        assertError(web.token(f), 400, "invalid_request");

        o = freshCode(web);
        f = Web.codeForm(o, "demo-app");
        f.put("code_verifier", "   ");
        assertError(web.token(f), 400, "invalid_request");

        o = freshCode(web);
        f = Web.codeForm(o, "demo-app");
        f.put("code_verifier", "short");
        assertError(web.token(f), 400, "invalid_request");
    }

    @Test
    void replayedCodeIsRefusedAndRevokesItsTokens() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = freshCode(web);
        Map<String, Object> first = web.token(Web.codeForm(o, "demo-app")).json();
        String at = (String) first.get("access_token");
        assertTrue(server.auth.tokenVerifier().verify(at, base).isPresent());
        assertError(web.token(Web.codeForm(o, "demo-app")), 400, "invalid_grant");
        assertTrue(server.auth.tokenVerifier().verify(at, base).isEmpty(), "tokens of a replayed code are revoked");
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("grant_type", "refresh_token");
        f.put("refresh_token", first.get("refresh_token"));
        f.put("client_id", "demo-app");
        assertError(web.token(f), 400, "invalid_grant");
    }

    @Test
    void expiredCodeIsRefused() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = freshCode(web);
        server.clock.advance(Duration.ofSeconds(61));
        assertError(web.token(Web.codeForm(o, "demo-app")), 400, "invalid_grant");
    }

    @Test
    void codeIsBoundToRedirectUriAndClient() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = freshCode(web);
        Map<String, Object> f = Web.codeForm(o, "demo-app");
        f.put("redirect_uri", base + "/app/other");
        assertError(web.token(f), 400, "invalid_grant");

        o = freshCode(web);
        assertError(web.token(Web.codeForm(o, OTHER_PUBLIC)), 400, "invalid_grant");

        o = freshCode(web);
        f = Web.codeForm(o, "demo-app");
        f.put("code", "not-a-code");
        assertError(web.token(f), 400, "invalid_grant");
    }

    @Test
    void tokenRequestShapeErrors() throws Exception {
        Web web = new Web(base);
        assertError(web.token(Map.of("client_id", "demo-app")), 400, "invalid_request");
        assertError(web.token(Map.of("grant_type", "password", "client_id", "demo-app")), 400,
                "unsupported_grant_type");
        assertError(web.token(Map.of("grant_type", "client_credentials", "client_id", "demo-app",
                "scope", "system/*.rs")), 400, "unauthorized_client");
        assertError(web.token(Map.of("grant_type", "authorization_code", "client_id", "nobody", "code", "x")), 401,
                "invalid_client");
        assertError(web.sendJson("POST", "/auth/token", "{\"grant_type\":\"authorization_code\"}"), 400,
                "invalid_request");
        assertEquals(405, web.get("/auth/token").status());
    }

    // ------------------------------------------------------------------ confidential symmetric clients

    private Web.Outcome confidentialCode(Web web) throws Exception {
        return patientLogin(web, CONFIDENTIAL, "launch/patient patient/*.rs offline_access", List.of());
    }

    @Test
    void clientSecretBasicAndPost() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = confidentialCode(web);
        Web.Res r = web.token(Web.codeForm(o, null), "Authorization", Web.basic(CONFIDENTIAL, secret));
        assertEquals(200, r.status(), r.body());

        o = confidentialCode(web);
        Map<String, Object> f = Web.codeForm(o, CONFIDENTIAL);
        f.put("client_secret", secret);
        assertEquals(200, web.token(f).status());
    }

    @Test
    void wrongOrMissingClientSecretIsInvalidClient() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = confidentialCode(web);
        Web.Res r = web.token(Web.codeForm(o, null), "Authorization", Web.basic(CONFIDENTIAL, secret + "x"));
        assertError(r, 401, "invalid_client");
        assertNotNull(r.header("WWW-Authenticate"));
        Map<String, Object> f = Web.codeForm(o, CONFIDENTIAL);
        f.put("client_secret", "wrong");
        assertError(web.token(f), 401, "invalid_client");
        assertError(web.token(Web.codeForm(o, CONFIDENTIAL)), 401, "invalid_client");
        f = Web.codeForm(o, CONFIDENTIAL);
        f.put("client_secret", secret);
        assertError(web.token(f, "Authorization", Web.basic(CONFIDENTIAL, secret)), 400, "invalid_request");
    }

    // ------------------------------------------------------------------ refresh

    private Map<String, Object> refreshForm(Object token, String clientId) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("grant_type", "refresh_token");
        f.put("refresh_token", token);
        f.put("client_id", clientId);
        return f;
    }

    @Test
    void refreshRotatesNarrowsAndIsBoundToItsClient() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = patientLogin(web, "demo-app",
                "launch/patient patient/Observation.rs patient/Condition.rs offline_access", List.of());
        Map<String, Object> t = web.token(Web.codeForm(o, "demo-app")).json();
        String rt = (String) t.get("refresh_token");

        assertError(web.token(refreshForm(rt, OTHER_PUBLIC)), 400, "invalid_grant");
        Map<String, Object> wider = refreshForm(rt, "demo-app");
        wider.put("scope", "patient/Observation.rs patient/MedicationRequest.rs");
        assertError(web.token(wider), 400, "invalid_scope");

        Map<String, Object> narrower = refreshForm(rt, "demo-app");
        narrower.put("scope", "patient/Observation.rs offline_access");
        Web.Res r = web.token(narrower);
        assertEquals(200, r.status(), r.body());
        Map<String, Object> t2 = r.json();
        assertEquals("patient/Observation.rs offline_access", t2.get("scope"));
        assertEquals("demo-patient-1", t2.get("patient"));
        assertNotEquals(rt, t2.get("refresh_token"));
        assertTrue(server.auth.tokenVerifier().verify((String) t2.get("access_token"), base).isPresent());

        // offline access survives a sign-out
        Web.Res logoutPage = web.get("/auth/logout");
        web.postForm("/auth/logout", Map.of("csrf", Web.field(logoutPage.body(), "csrf")));
        Web.Res r3 = web.token(refreshForm(t2.get("refresh_token"), "demo-app"));
        assertEquals(200, r3.status(), r3.body());

        // reusing a rotated refresh token revokes the whole grant
        assertError(web.token(refreshForm(t2.get("refresh_token"), "demo-app")), 400, "invalid_grant");
        assertTrue(server.auth.tokenVerifier().verify((String) r3.json().get("access_token"), base).isEmpty());
        assertError(web.token(refreshForm(r3.json().get("refresh_token"), "demo-app")), 400, "invalid_grant");
    }

    private static Map<String, Object> bareRefresh(Object token) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("grant_type", "refresh_token");
        f.put("refresh_token", token);
        return f;
    }

    @Test
    void publicClientRefreshesWithoutClientIdAsFhirclientDoes() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = patientLogin(web, "demo-app", "launch/patient patient/Observation.rs offline_access",
                List.of());
        Map<String, Object> t = web.token(Web.codeForm(o, "demo-app")).json();
        // only grant_type and refresh_token, no client_id, no Authorization header: the client is the token's
        Web.Res r1 = web.token(bareRefresh(t.get("refresh_token")));
        assertEquals(200, r1.status(), r1.body());
        assertEquals("demo-patient-1", r1.json().get("patient"));
        assertEquals("launch/patient patient/Observation.rs offline_access", r1.json().get("scope"));
        var grant = server.auth.tokenVerifier().verify((String) r1.json().get("access_token"), base);
        assertEquals("demo-app", grant.orElseThrow().clientId());
        Web.Res r2 = web.token(bareRefresh(r1.json().get("refresh_token")));
        assertEquals(200, r2.status(), r2.body());
        assertNotEquals(r1.json().get("refresh_token"), r2.json().get("refresh_token"));

        // a client_id, when sent, must be the token's client
        assertError(web.token(refreshForm(r2.json().get("refresh_token"), OTHER_PUBLIC)), 400, "invalid_grant");
        // replay detection is unchanged: the used token revokes the grant
        assertError(web.token(bareRefresh(r1.json().get("refresh_token"))), 400, "invalid_grant");
        assertTrue(server.auth.tokenVerifier().verify((String) r2.json().get("access_token"), base).isEmpty());
        assertError(web.token(bareRefresh(r2.json().get("refresh_token"))), 400, "invalid_grant");
    }

    @Test
    void refreshWithoutClientNeedsAKnownTokenOfAPublicClient() throws Exception {
        Web web = new Web(base);
        assertError(web.token(bareRefresh("no-such-token")), 400, "invalid_grant");
        Map<String, Object> missing = new LinkedHashMap<>();
        missing.put("grant_type", "refresh_token");
        assertError(web.token(missing), 400, "invalid_request");

        // a confidential client's refresh token is refused without its authentication, and is not used up by that
        Web.Outcome o = confidentialCode(web);
        Map<String, Object> t = web.token(Web.codeForm(o, null), "Authorization", Web.basic(CONFIDENTIAL, secret))
                .json();
        Web.Res bare = web.token(bareRefresh(t.get("refresh_token")));
        assertError(bare, 401, "invalid_client");
        assertNotNull(bare.header("WWW-Authenticate"));
        assertError(web.token(refreshForm(t.get("refresh_token"), CONFIDENTIAL)), 401, "invalid_client");
        Web.Res ok = web.token(bareRefresh(t.get("refresh_token")), "Authorization", Web.basic(CONFIDENTIAL, secret));
        assertEquals(200, ok.status(), ok.body());
    }

    @Test
    void narrowedRefreshNarrowsTheAccessTokenButNotTheNextRefreshToken() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = patientLogin(web, "demo-app",
                "launch/patient patient/Observation.rs patient/Condition.rs offline_access", List.of());
        Map<String, Object> t = web.token(Web.codeForm(o, "demo-app")).json();
        Map<String, Object> empty = bareRefresh(t.get("refresh_token"));
        empty.put("scope", " ");
        assertError(web.token(empty), 400, "invalid_scope");
        Map<String, Object> narrower = bareRefresh(t.get("refresh_token"));
        narrower.put("scope", "patient/Observation.rs");
        Web.Res r1 = web.token(narrower);
        assertEquals(200, r1.status(), r1.body());
        assertEquals("patient/Observation.rs offline_access", r1.json().get("scope"));
        // RFC 6749 §6: the new refresh token has the scope of the one it replaced
        Web.Res r2 = web.token(bareRefresh(r1.json().get("refresh_token")));
        assertEquals(200, r2.status(), r2.body());
        assertEquals("launch/patient patient/Observation.rs patient/Condition.rs offline_access",
                r2.json().get("scope"));
    }

    @Test
    void offlineRefreshTokensExpire() throws Exception {
        try (TestServer short_ = new TestServer(b -> b.offlineRefreshLifetime(Duration.ofDays(2)))) {
            Web web = new Web(short_.base);
            String v = Web.verifier();
            Map<String, String> req = Web.request(short_.base, "demo-app", "launch/patient patient/*.rs offline_access", v);
            req.put("_verifier", v);
            Web.Outcome o = web.authorize(req, "patient1", "patient1-demo", null, null, List.of());
            Map<String, Object> t = web.token(Web.codeForm(o, "demo-app")).json();
            short_.clock.advance(Duration.ofDays(1));
            Web.Res ok = web.token(refreshForm(t.get("refresh_token"), "demo-app"));
            assertEquals(200, ok.status());
            short_.clock.advance(Duration.ofDays(1).plusMinutes(1));
            assertError(web.token(refreshForm(ok.json().get("refresh_token"), "demo-app")), 400, "invalid_grant");
        }
    }

    // ------------------------------------------------------------------ expiry, revocation, introspection

    @Test
    void accessTokensExpire() throws Exception {
        try (TestServer s = new TestServer(b -> b.demoSetup(true))) {
            Web web = new Web(s.base);
            String v = Web.verifier();
            Map<String, String> req = Web.request(s.base, "demo-app", "launch/patient patient/*.rs", v);
            req.put("_verifier", v);
            Web.Outcome o = web.authorize(req, "patient1", "patient1-demo", null, null, List.of());
            String at = (String) web.token(Web.codeForm(o, "demo-app")).json().get("access_token");
            assertTrue(s.auth.tokenVerifier().verify(at, s.base).isPresent());
            s.clock.advance(Duration.ofMinutes(61));
            assertTrue(s.auth.tokenVerifier().verify(at, s.base).isEmpty());
        }
    }

    @Test
    void revocationOfAccessAndRefreshTokens() throws Exception {
        Web web = new Web(base);
        Map<String, Object> t = web.token(Web.codeForm(freshCode(web), "demo-app")).json();
        String at = (String) t.get("access_token");
        Web.Res r = web.postForm("/auth/revoke", Map.of("token", at, "client_id", "demo-app"));
        assertEquals(200, r.status());
        assertTrue(server.auth.tokenVerifier().verify(at, base).isEmpty());
        Web.Res intro = web.postForm("/auth/introspect", Map.of("token", at), "Authorization",
                Web.basic("admin", TestServer.ADMIN_PASSWORD));
        assertEquals(false, intro.json().get("active"));
        // the refresh token still works, until it is revoked too
        Web.Res refreshed = web.token(refreshForm(t.get("refresh_token"), "demo-app"));
        assertEquals(200, refreshed.status());
        String at2 = (String) refreshed.json().get("access_token");
        String rt2 = (String) refreshed.json().get("refresh_token");
        // another client cannot revoke it
        web.postForm("/auth/revoke", Map.of("token", rt2, "client_id", OTHER_PUBLIC));
        assertTrue(server.auth.tokenVerifier().verify(at2, base).isPresent());
        assertEquals(200, web.postForm("/auth/revoke", Map.of("token", rt2, "client_id", "demo-app",
                "token_type_hint", "refresh_token")).status());
        assertError(web.token(refreshForm(rt2, "demo-app")), 400, "invalid_grant");
        assertTrue(server.auth.tokenVerifier().verify(at2, base).isEmpty(), "revoking a refresh token ends its grant");
        assertEquals(200, web.postForm("/auth/revoke", Map.of("token", "unknown", "client_id", "demo-app")).status());
    }

    @Test
    void introspection() throws Exception {
        Web web = new Web(base);
        Web.Outcome o = confidentialCode(web);
        Map<String, Object> t = web.token(Web.codeForm(o, null), "Authorization", Web.basic(CONFIDENTIAL, secret))
                .json();
        String at = (String) t.get("access_token");
        assertError(web.postForm("/auth/introspect", Map.of("token", at)), 401, "invalid_client");
        assertError(web.postForm("/auth/introspect", Map.of("token", at, "client_id", "demo-app")), 401,
                "invalid_client");

        Map<String, Object> i = web.postForm("/auth/introspect", Map.of("token", at), "Authorization",
                Web.basic(CONFIDENTIAL, secret)).json();
        assertEquals(true, i.get("active"));
        assertEquals(CONFIDENTIAL, i.get("client_id"));
        assertEquals("patient1", i.get("sub"));
        assertEquals(base, i.get("iss"));
        assertEquals("demo-patient-1", i.get("patient"));
        assertEquals(base + "/Patient/demo-patient-1", i.get("fhirUser"));
        assertEquals("launch/patient patient/*.rs offline_access", i.get("scope"));
        assertNotNull(i.get("exp"));

        Map<String, Object> ri = web.postForm("/auth/introspect", Map.of("token", t.get("refresh_token")),
                "Authorization", Web.basic("admin", TestServer.ADMIN_PASSWORD)).json();
        assertEquals(true, ri.get("active"));

        // a demo-app token is not the confidential client's business
        Map<String, Object> other = web.token(Web.codeForm(freshCode(web), "demo-app")).json();
        assertEquals(Map.of("active", false), web.postForm("/auth/introspect", Map.of("token",
                other.get("access_token")), "Authorization", Web.basic(CONFIDENTIAL, secret)).json());
        assertEquals(Map.of("active", false), web.postForm("/auth/introspect", Map.of("token", "nonsense"),
                "Authorization", Web.basic("admin", TestServer.ADMIN_PASSWORD)).json());
        assertError(web.postForm("/auth/introspect", Map.of("token", at), "Authorization",
                Web.basic("admin", "wrong")), 401, "invalid_client");
    }

    // ------------------------------------------------------------------ sign-in rules

    @Test
    void lockOutAfterRepeatedFailures() throws Exception {
        server.auth.admin().createUser("lockme", "right-password", "Practitioner/lock", "Lock Me");
        Web web = new Web(base);
        Web.Res page = web.get("/auth/login");
        String csrf = Web.field(page.body(), "csrf");
        for (int i = 0; i < 5; i++) {
            Web.Res r = web.postForm("/auth/login", Map.of("csrf", csrf, "username", "lockme", "password", "nope"));
            assertEquals(401, r.status());
        }
        Web.Res locked = web.postForm("/auth/login", Map.of("csrf", csrf, "username", "lockme",
                "password", "right-password"));
        assertEquals(401, locked.status());
        assertTrue(locked.body().contains("locked"));
        server.clock.advance(Duration.ofMinutes(16));
        Web.Res ok = web.postForm("/auth/login", Map.of("csrf", csrf, "username", "lockme",
                "password", "right-password"));
        assertEquals(303, ok.status());
        assertEquals("/auth/launch", ok.location());
    }

    @Test
    void loginNeedsTheCsrfTokenAndSetsSafeCookies() throws Exception {
        Web web = new Web(base);
        Web.Res page = web.get("/auth/login");
        String cookie = page.header("Set-Cookie");
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.toLowerCase().contains("samesite=lax"), cookie);
        assertEquals("DENY", page.header("X-Frame-Options"));
        assertTrue(page.body().contains("<label for=\"username\">"));
        Web.Res r = web.postForm("/auth/login", Map.of("csrf", "forged", "username", "practitioner",
                "password", "practitioner-demo"));
        assertEquals(401, r.status());
        assertTrue(r.body().contains("session expired"));
        Web.Res r2 = new Web(base).postForm("/auth/login", Map.of("csrf", Web.field(page.body(), "csrf"),
                "username", "practitioner", "password", "practitioner-demo"));
        assertEquals(401, r2.status(), "a form from another browser (no cookie) is refused");
    }

    @Test
    void manageRevokesAnApproval() throws Exception {
        Web web = new Web(base);
        Map<String, Object> t = web.token(Web.codeForm(patientLogin(web, OTHER_PUBLIC,
                "launch/patient patient/Observation.rs", List.of()), OTHER_PUBLIC)).json();
        String at = (String) t.get("access_token");
        Web.Res manage = web.get("/auth/manage");
        assertEquals(200, manage.status());
        assertTrue(manage.body().contains("Other app"), manage.body());
        String grantId = server.auth.tokenVerifier().verify(at, base).orElseThrow().grantId();
        Web.Res r = web.postForm("/auth/manage", Map.of("csrf", Web.field(manage.body(), "csrf"), "grant", grantId));
        assertEquals(303, r.status());
        assertTrue(server.auth.tokenVerifier().verify(at, base).isEmpty());
        Optional<String> stillListed = Optional.of(web.get("/auth/manage").body()).filter(b -> b.contains(grantId));
        assertTrue(stillListed.isEmpty());
    }
}
