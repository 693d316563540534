package dev.fhirbolt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Admin API, dynamic registration, key rotation, EHR launch contexts, demo set-up and the public wiring API. */
class AdminApiTest {

    static TestServer server;
    static String base;
    static final String ADMIN = Web.basic("admin", TestServer.ADMIN_PASSWORD);

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(b -> b.adminToken("admin-bearer-token"));
        base = server.base;
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void adminApiNeedsCredentials() throws Exception {
        Web web = new Web(base);
        Web.Res r = web.get("/auth/admin/clients");
        assertEquals(401, r.status());
        assertNotNull(r.header("WWW-Authenticate"));
        assertEquals(401, web.get("/auth/admin/clients", "Authorization", Web.basic("admin", "wrong")).status());
        assertEquals(401, web.get("/auth/admin/clients", "Authorization", "Bearer wrong").status());
        assertEquals(200, web.get("/auth/admin/clients", "Authorization", ADMIN).status());
        assertEquals(200, web.get("/auth/admin/clients", "Authorization", "Bearer admin-bearer-token").status());
    }

    @Test
    void clientsAndUsersThroughTheAdminApi() throws Exception {
        Web web = new Web(base);
        Web.Res created = web.sendJson("POST", "/auth/admin/clients", """
                {"client_id":"growth-chart","client_name":"Growth Chart","type":"confidential-symmetric",
                 "redirect_uris":["%s/app/callback"],"launch_url":"%s/app/launch","scope":"launch patient/*.rs openid fhirUser"}
                """.formatted(base, base), "Authorization", ADMIN);
        assertEquals(201, created.status(), created.body());
        Map<String, Object> c = created.json();
        assertEquals("growth-chart", c.get("client_id"));
        assertNotNull(c.get("client_secret"));
        assertEquals("client_secret_basic", c.get("token_endpoint_auth_method"));
        Web.Res listed = web.get("/auth/admin/clients", "Authorization", ADMIN);
        assertTrue(listed.body().contains("growth-chart"));
        assertFalse(listed.body().contains("\"client_secret\""));
        assertFalse(listed.body().contains("secretHash"));
        assertEquals(200, web.get("/auth/admin/clients/growth-chart", "Authorization", ADMIN).status());
        assertEquals(400, web.sendJson("POST", "/auth/admin/clients", """
                {"client_id":"growth-chart","type":"public","redirect_uris":["%s/app/callback"]}""".formatted(base),
                "Authorization", ADMIN).status());
        assertEquals(400, web.sendJson("POST", "/auth/admin/clients", """
                {"type":"public","redirect_uris":["not a uri#frag"]}""", "Authorization", ADMIN).status());
        assertEquals(400, web.sendJson("POST", "/auth/admin/clients", """
                {"type":"backend-service","scope":"user/*.rs","jwks":{"keys":[]}}""", "Authorization", ADMIN).status());
        assertEquals(204, web.sendJson("DELETE", "/auth/admin/clients/growth-chart", null, "Authorization", ADMIN)
                .status());
        assertEquals(404, web.get("/auth/admin/clients/growth-chart", "Authorization", ADMIN).status());

        Web.Res user = web.sendJson("POST", "/auth/admin/users", """
                {"username":"nurse.joy","password":"correct horse battery","fhirUser":"Practitioner/joy","name":"Nurse Joy"}
                """, "Authorization", ADMIN);
        assertEquals(201, user.status(), user.body());
        assertFalse(user.body().contains("argon2"));
        assertEquals(400, web.sendJson("POST", "/auth/admin/users", """
                {"username":"x","password":"short","fhirUser":"Practitioner/x"}""", "Authorization", ADMIN).status());
        assertEquals(400, web.sendJson("POST", "/auth/admin/users", """
                {"username":"y","password":"long enough pw","fhirUser":"Observation/1"}""", "Authorization", ADMIN)
                .status());
        assertTrue(web.get("/auth/admin/users", "Authorization", ADMIN).body().contains("nurse.joy"));
        // the new user can sign in
        Web browser = new Web(base);
        Web.Res page = browser.get("/auth/login");
        Web.Res login = browser.postForm("/auth/login", Map.of("csrf", Web.field(page.body(), "csrf"),
                "username", "nurse.joy", "password", "correct horse battery"));
        assertEquals(303, login.status());
        assertEquals(204, web.sendJson("PUT", "/auth/admin/users/nurse.joy/password",
                "{\"password\":\"another long password\"}", "Authorization", ADMIN).status());
        assertEquals(204, web.sendJson("DELETE", "/auth/admin/users/nurse.joy", null, "Authorization", ADMIN).status());
        assertTrue(server.auth.admin().user("nurse.joy").isEmpty());
    }

    @Test
    void dynamicRegistration() throws Exception {
        Web web = new Web(base);
        String body = """
                {"client_name":"Registered app","redirect_uris":["https://app.example/cb"],
                 "token_endpoint_auth_method":"none","grant_types":["authorization_code"],"scope":"launch/patient patient/*.rs"}""";
        Web.Res r = web.sendJson("POST", "/auth/register", body);
        assertEquals(401, r.status());
        r = web.sendJson("POST", "/auth/register", body, "Authorization", "Bearer wrong");
        assertEquals(401, r.status());
        r = web.sendJson("POST", "/auth/register", body, "Authorization", "Bearer " + TestServer.INITIAL_ACCESS_TOKEN);
        assertEquals(201, r.status(), r.body());
        Map<String, Object> c = r.json();
        assertNotNull(c.get("client_id"));
        assertNull(c.get("client_secret"));
        assertEquals("none", c.get("token_endpoint_auth_method"));
        assertEquals(ClientType.PUBLIC, server.auth.admin().client((String) c.get("client_id")).orElseThrow().type());

        Web.Res sym = web.sendJson("POST", "/auth/register", """
                {"redirect_uris":["https://app.example/cb"],"token_endpoint_auth_method":"client_secret_post"}""",
                "Authorization", ADMIN);
        assertEquals(201, sym.status(), sym.body());
        assertNotNull(sym.json().get("client_secret"));

        RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
        Web.Res backend = web.sendJson("POST", "/auth/register", """
                {"token_endpoint_auth_method":"private_key_jwt","grant_types":["client_credentials"],
                 "scope":"system/Observation.rs","jwks":%s}""".formatted(new JWKSet(key.toPublicJWK()).toString(true)),
                "Authorization", "Bearer " + TestServer.INITIAL_ACCESS_TOKEN);
        assertEquals(201, backend.status(), backend.body());
        assertEquals(ClientType.BACKEND_SERVICE, server.auth.admin().client((String) backend.json().get("client_id"))
                .orElseThrow().type());

        Web.Res privateKey = web.sendJson("POST", "/auth/register", """
                {"token_endpoint_auth_method":"private_key_jwt","grant_types":["client_credentials"],
                 "scope":"system/Observation.rs","jwks":%s}""".formatted(new JWKSet(key).toString(false)),
                "Authorization", ADMIN);
        assertEquals(400, privateKey.status());
        Web.Res badRedirect = web.sendJson("POST", "/auth/register", """
                {"redirect_uris":["relative/cb"],"token_endpoint_auth_method":"none"}""", "Authorization", ADMIN);
        assertEquals("invalid_redirect_uri", badRedirect.json().get("error"));
        assertEquals("invalid_client_metadata", web.sendJson("POST", "/auth/register",
                "{\"token_endpoint_auth_method\":\"tls_client_auth\"}", "Authorization", ADMIN).json().get("error"));
    }

    @Test
    void signingKeyRotationKeepsOldTokensValidUntilRetentionEnds() throws Exception {
        try (TestServer s = new TestServer(b -> b.keyRetention(Duration.ofHours(2)))) {
            Web web = new Web(s.base);
            String v = Web.verifier();
            Map<String, String> req = Web.request(s.base, "demo-app", "launch/patient patient/*.rs", v);
            req.put("_verifier", v);
            Web.Outcome o = web.authorize(req, "patient1", "patient1-demo", null, null, List.of());
            String oldToken = (String) web.token(Web.codeForm(o, "demo-app")).json().get("access_token");
            String oldKid = SignedJWT.parse(oldToken).getHeader().getKeyID();

            Web.Res rotated = web.sendJson("POST", "/auth/admin/keys/rotate", null, "Authorization",
                    Web.basic("admin", TestServer.ADMIN_PASSWORD));
            assertEquals(200, rotated.status());
            String newKid = (String) rotated.json().get("kid");
            assertNotEquals(oldKid, newKid);
            JWKSet jwks = JWKSet.parse(web.get("/auth/jwks").body());
            assertEquals(2, jwks.getKeys().size());
            assertTrue(s.auth.tokenVerifier().verify(oldToken, s.base).isPresent());

            v = Web.verifier();
            req = Web.request(s.base, "demo-app", "launch/patient patient/*.rs", v);
            req.put("_verifier", v);
            o = web.authorize(req, "patient1", "patient1-demo", null, null, List.of());
            String newToken = (String) web.token(Web.codeForm(o, "demo-app")).json().get("access_token");
            assertEquals(newKid, SignedJWT.parse(newToken).getHeader().getKeyID());

            s.clock.advance(Duration.ofMinutes(121));
            assertEquals(1, JWKSet.parse(web.get("/auth/jwks").body()).getKeys().size());
            assertTrue(s.auth.tokenVerifier().verify(oldToken, s.base).isEmpty());
        }
    }

    @Test
    void keysSurviveARestart() throws Exception {
        String kid;
        try (TestServer s = new TestServer()) {
            kid = JWKSet.parse(new Web(s.base).get("/auth/jwks").body()).getKeys().get(0).getKeyID();
            // reopen on the same data: same key, demo set-up not repeated
            s.auth.close();
            AuthServer again = new AuthServer(s.auth.settings(), s.kv, s.clock, TestServer.DIRECTORY);
            assertEquals(kid, again.currentKeyId());
            assertEquals(3, again.admin().listUsers().size());
            again.close();
        }
    }

    @Test
    void ehrLaunchContextThroughTheAdminApi() throws Exception {
        Web admin = new Web(base);
        Web.Res r = admin.sendJson("POST", "/auth/admin/launches", """
                {"client_id":"demo-app","patient":"demo-patient-1","encounter":"enc-1",
                 "fhirContext":[{"reference":"Appointment/apt-1"}]}""", "Authorization", ADMIN);
        assertEquals(201, r.status(), r.body());
        String launch = (String) r.json().get("launch");
        assertTrue(((String) r.json().get("launch_url")).startsWith(base + "/app/launch?iss="));

        Web web = new Web(base);
        String v = Web.verifier();
        Map<String, String> req = Web.request(base, "demo-app", "launch openid fhirUser patient/*.rs", v);
        req.put("launch", launch);
        req.put("_verifier", v);
        Web.Outcome o = web.authorize(req, "practitioner", "practitioner-demo", null, null, List.of());
        Map<String, Object> t = web.token(Web.codeForm(o, "demo-app")).json();
        assertEquals("demo-patient-1", t.get("patient"));
        assertEquals("enc-1", t.get("encounter"));
        assertEquals(false, t.get("need_patient_banner"));
        assertEquals("launch openid fhirUser patient/*.rs", t.get("scope"));
        assertEquals(List.of(Map.of("reference", "Appointment/apt-1")), t.get("fhirContext"));
        AccessGrant g = server.auth.tokenVerifier().verify((String) t.get("access_token"), base).orElseThrow();
        assertEquals(List.of(FhirContextItem.reference("Appointment/apt-1")), g.fhirContext());

        // a launch belongs to its client, and expires
        server.auth.admin().registerClient(new ClientSpec("second-app", "Second", ClientType.PUBLIC,
                List.of(base + "/app/callback"), base + "/app/launch", null, null, null));
        Map<String, String> other = Web.request(base, "second-app", "launch patient/*.rs", Web.verifier());
        other.put("launch", launch);
        Web.Res refused = web.get("/auth/authorize?" + Web.formBody(other));
        assertEquals("invalid_request", Web.queryOf(refused.location()).get("error"));
        server.clock.advance(Duration.ofMinutes(11));
        Map<String, String> late = Web.request(base, "demo-app", "launch patient/*.rs", Web.verifier());
        late.put("launch", launch);
        assertEquals("invalid_request", Web.queryOf(web.get("/auth/authorize?" + Web.formBody(late)).location())
                .get("error"));
    }

    @Test
    void serviceLevelChecks() {
        AdminService admin = server.auth.admin();
        assertThrows(IllegalArgumentException.class, () -> admin.registerClient(new ClientSpec(null, "x",
                ClientType.PUBLIC, List.of(), null, null, null, null)));
        assertThrows(IllegalArgumentException.class, () -> admin.registerClient(new ClientSpec(null, "x",
                ClientType.CONFIDENTIAL_ASYMMETRIC, List.of("https://a.example/cb"), null, null, null, null)));
        assertThrows(IllegalArgumentException.class, () -> admin.registerClient(new ClientSpec(null, "x",
                ClientType.PUBLIC, List.of("https://a.example/cb"), null, List.of("bogus"), null, null)));
        assertThrows(IllegalArgumentException.class, () -> admin.createUser("dup", "password1", "Person/1", null)
                .equals(admin.createUser("DUP", "password1", "Person/1", null)));
        assertTrue(admin.user("practitioner").isPresent());
        assertEquals("Practitioner/demo-practitioner", admin.user("practitioner").get().fhirUser());
        assertTrue(admin.client(AuthServer.DEMO_CLIENT_ID).isPresent());
    }

    @Test
    void expiredStateIsPurged() throws Exception {
        try (TestServer s = new TestServer()) {
            Web web = new Web(s.base);
            web.get("/auth/authorize?" + Web.formBody(Web.request(s.base, "demo-app", "patient/*.rs", Web.verifier())));
            web.get("/auth/login");
            assertEquals(0, s.auth.purge());
            s.clock.advance(Duration.ofHours(2));
            assertEquals(2, s.auth.purge(), "the flow and the anonymous session");
        }
    }

    @Test
    void demoSetupCanBeTurnedOff() throws Exception {
        try (TestServer s = new TestServer(b -> b.demoSetup(false).demoPatientIds("a", "b"))) {
            assertTrue(s.auth.admin().listUsers().isEmpty());
            assertTrue(s.auth.admin().listClients().isEmpty());
        }
    }

    @Test
    void capabilityStatementSecurityInfo() {
        SmartSecurityInfo info = server.auth.securityInfo(base + "/");
        assertEquals(base + "/auth/authorize", info.authorize());
        assertEquals(base + "/auth/token", info.token());
        assertEquals(base + "/auth/register", info.register());
        assertEquals(base + "/auth/manage", info.manage());
        assertEquals(base + "/auth/introspect", info.introspect());
        assertEquals(base + "/auth/revoke", info.revoke());
        assertEquals(List.of("SMART-on-FHIR"), info.serviceCodes());
        assertEquals(6, info.extensionValues().size());
        assertEquals(base + "/auth/token", server.auth.smartConfiguration(base).get("token_endpoint"));
        assertTrue(AuthServer.keyspaces().stream().allMatch(k -> k.name().startsWith("auth-")));
    }

    @Test
    void editClientsLockUsersListAndRevokeGrantsListKeys() throws Exception {
        Web web = new Web(base);
        assertEquals(201, web.sendJson("POST", "/auth/admin/clients", """
                {"client_id":"editable","type":"public","redirect_uris":["%s/app/callback"]}""".formatted(base),
                "Authorization", ADMIN).status());
        Web.Res edited = web.sendJson("PUT", "/auth/admin/clients/editable", """
                {"client_name":"Edited","redirect_uris":["%s/app/callback","%s/app/cb2"],"launch_url":"%s/app/launch",
                 "scope":"launch openid fhirUser patient/*.rs"}""".formatted(base, base, base), "Authorization", ADMIN);
        assertEquals(200, edited.status(), edited.body());
        assertEquals("Edited", edited.json().get("client_name"));
        assertEquals("public", edited.json().get("type"));
        assertEquals(List.of(base + "/app/callback", base + "/app/cb2"), edited.json().get("redirect_uris"));
        assertEquals(400, web.sendJson("PUT", "/auth/admin/clients/editable", """
                {"redirect_uris":[]}""", "Authorization", ADMIN).status());
        assertEquals(404, web.sendJson("PUT", "/auth/admin/clients/nobody", """
                {"redirect_uris":["%s/x"]}""".formatted(base), "Authorization", ADMIN).status());

        // an approval of patient1, listed, then gone when the user is locked; the lock refuses sign-in
        Web.Outcome o = authorizeAs(web, "patient1", "patient1-demo");
        assertEquals(200, web.token(Web.codeForm(o, "demo-app")).status());
        Web.Res grants = web.get("/auth/admin/grants?username=patient1", "Authorization", ADMIN);
        assertEquals(200, grants.status());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) grants.json().get("grants");
        assertEquals(1, list.size(), grants.body());
        assertEquals("demo-app", list.get(0).get("client_id"));
        assertEquals(1, ((Number) list.get(0).get("refresh_tokens")).intValue());
        assertEquals(204, web.sendJson("DELETE", "/auth/admin/grants/" + list.get(0).get("grant_id"), null,
                "Authorization", ADMIN).status());
        assertEquals(404, web.sendJson("DELETE", "/auth/admin/grants/" + list.get(0).get("grant_id"), null,
                "Authorization", ADMIN).status());
        assertFalse(web.get("/auth/admin/grants?username=patient1", "Authorization", ADMIN).body()
                .contains("grant_id"));
        assertEquals(400, web.token(Map.of("grant_type", "refresh_token", "refresh_token",
                o.redirect().getOrDefault("x", "none"))).status());

        assertEquals(201, web.sendJson("POST", "/auth/admin/users", """
                {"username":"locky","password":"locky-password","fhirUser":"Patient/demo-patient-2"}""",
                "Authorization", ADMIN).status());
        assertEquals(204, web.sendJson("PUT", "/auth/admin/users/locky", """
                {"fhirUser":"Practitioner/demo-practitioner","name":"Dr Locky"}""", "Authorization", ADMIN).status());
        Map<String, Object> u = web.get("/auth/admin/users/locky", "Authorization", ADMIN).json();
        assertEquals("Practitioner/demo-practitioner", u.get("fhirUser"));
        assertEquals("Dr Locky", u.get("name"));
        assertEquals(false, u.get("locked"));
        assertEquals(204, web.sendJson("POST", "/auth/admin/users/locky/lock", null, "Authorization", ADMIN).status());
        assertEquals(true, web.get("/auth/admin/users/locky", "Authorization", ADMIN).json().get("locked"));
        assertThrows(AssertionError.class, () -> authorizeAs(new Web(base), "locky", "locky-password"));
        assertEquals(204, web.sendJson("DELETE", "/auth/admin/users/locky/lock", null, "Authorization", ADMIN)
                .status());
        assertEquals(false, web.get("/auth/admin/users/locky", "Authorization", ADMIN).json().get("locked"));
        assertNotNull(authorizeAs(new Web(base), "locky", "locky-password").code());
        assertEquals(404, web.sendJson("POST", "/auth/admin/users/nobody/lock", null, "Authorization", ADMIN)
                .status());
        assertEquals(400, web.sendJson("PUT", "/auth/admin/users/locky", """
                {"fhirUser":"Observation/1"}""", "Authorization", ADMIN).status());

        String kid = (String) web.sendJson("POST", "/auth/admin/keys/rotate", null, "Authorization", ADMIN).json()
                .get("kid");
        Web.Res keys = web.get("/auth/admin/keys", "Authorization", ADMIN);
        assertEquals(200, keys.status());
        assertTrue(keys.body().contains("\"kid\":\"" + kid + "\",") && keys.body().contains("\"signing\":true")
                && keys.body().contains("\"signing\":false"), keys.body());
        assertFalse(keys.body().contains("\"d\""));
    }

    private static Web.Outcome authorizeAs(Web web, String user, String password) throws Exception {
        String v = Web.verifier();
        Map<String, String> req = Web.request(base, "demo-app", "openid fhirUser patient/*.rs offline_access", v);
        req.put("_verifier", v);
        return web.authorize(req, user, password, null, null, List.of());
    }

    @Test
    void settingsRefuseUnsafeLifetimes() {
        assertThrows(IllegalArgumentException.class,
                () -> AuthSettings.builder().accessTokenLifetime(Duration.ofHours(2)).build());
        assertThrows(IllegalArgumentException.class,
                () -> AuthSettings.builder().backendTokenLifetime(Duration.ofMinutes(6)).build());
        assertThrows(IllegalArgumentException.class,
                () -> AuthSettings.builder().codeLifetime(Duration.ofMinutes(2)).build());
    }

    @Test
    void passwordHashesAreArgon2id() {
        String h = PasswordHasher.hash("a password");
        assertTrue(h.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        assertTrue(PasswordHasher.verify("a password", h));
        assertFalse(PasswordHasher.verify("another", h));
        assertNotEquals(h, PasswordHasher.hash("a password"));
        Map<String, Object> m = new LinkedHashMap<>();
        assertNull(m.get("x"));
    }
}
