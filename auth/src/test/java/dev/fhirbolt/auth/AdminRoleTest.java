package dev.fhirbolt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin role of user accounts: set through the admin API, it lets the user's token from a client trusted with the
 * role (the console) use the admin API; the same user's token from another app, a user without the role, a role taken
 * away or a locked account get 403; the admin password keeps working.
 */
class AdminRoleTest {

    static final String ADMIN = Web.basic("admin", TestServer.ADMIN_PASSWORD);
    static TestServer server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(b -> b.adminRoleClients(Set.of("console-like")));
        base = server.base;
        Web web = new Web(base);
        for (String client : List.of("console-like", "other-app")) {
            Web.Res r = web.sendJson("POST", "/auth/admin/clients", """
                    {"client_id":"%s","type":"public","redirect_uris":["%s/app/callback"],"scope":"openid fhirUser profile"}
                    """.formatted(client, base), "Authorization", ADMIN);
            assertEquals(201, r.status(), r.body());
        }
        Web.Res ops = web.sendJson("POST", "/auth/admin/users", """
                {"username":"ops","password":"ops password 1","fhirUser":"Practitioner/ops","admin":true}""",
                "Authorization", ADMIN);
        assertEquals(201, ops.status(), ops.body());
        assertEquals(Boolean.TRUE, ops.json().get("admin"));
        Web.Res clerk = web.sendJson("POST", "/auth/admin/users", """
                {"username":"clerk","password":"clerk password 1","fhirUser":"Practitioner/clerk"}""",
                "Authorization", ADMIN);
        assertEquals(Boolean.FALSE, clerk.json().get("admin"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String token(String client, String user, String password) throws Exception {
        Web browser = new Web(base);
        String v = Web.verifier();
        Map<String, String> req = Web.request(base, client, "openid fhirUser", v);
        req.put("_verifier", v);
        Web.Outcome o = browser.authorize(req, user, password, null, null, List.of());
        Web.Res t = browser.token(Web.codeForm(o, client));
        assertEquals(200, t.status(), t.body());
        return "Bearer " + t.json().get("access_token");
    }

    @Test
    void aUserWithTheAdminRoleUsesTheAdminApiThroughTheTrustedClientOnly() throws Exception {
        Web web = new Web(base);
        String ops = token("console-like", "ops", "ops password 1");
        Web.Res users = web.get("/auth/admin/users", "Authorization", ops);
        assertEquals(200, users.status(), users.body());
        assertTrue(users.body().contains("\"admin\":true"), users.body());
        assertEquals(201, web.sendJson("POST", "/auth/admin/users", """
                {"username":"made.by.ops","password":"made by ops 1","fhirUser":"Practitioner/m"}""",
                "Authorization", ops).status(), "the role does what the password does");

        Web.Res elsewhere = web.get("/auth/admin/clients", "Authorization", token("other-app", "ops", "ops password 1"));
        assertEquals(403, elsewhere.status(), "a token of another app never carries the role");
        Web.Res clerk = web.get("/auth/admin/clients", "Authorization", token("console-like", "clerk",
                "clerk password 1"));
        assertEquals(403, clerk.status());
        assertEquals("forbidden", clerk.json().get("error"));
        assertTrue(clerk.json().get("error_description").toString().contains("admin role"));
        assertEquals(401, web.get("/auth/admin/clients", "Authorization", "Bearer not-a-token").status());
        assertEquals(200, web.get("/auth/admin/clients", "Authorization", ADMIN).status(), "the password still works");
    }

    @Test
    void takingTheRoleAwayOrLockingTheUserEndsItAtOnce() throws Exception {
        Web web = new Web(base);
        assertEquals(201, web.sendJson("POST", "/auth/admin/users", """
                {"username":"temp.admin","password":"temp admin pw 1","fhirUser":"Practitioner/t"}""",
                "Authorization", ADMIN).status());
        assertEquals(400, web.sendJson("PUT", "/auth/admin/users/temp.admin", "{\"admin\":\"yes\"}",
                "Authorization", ADMIN).status());
        assertEquals(204, web.sendJson("PUT", "/auth/admin/users/temp.admin", "{\"admin\":true}",
                "Authorization", ADMIN).status());
        String temp = token("console-like", "temp.admin", "temp admin pw 1");
        assertEquals(200, web.get("/auth/admin/keys", "Authorization", temp).status());
        assertEquals(204, web.sendJson("PUT", "/auth/admin/users/temp.admin", "{\"admin\":false}",
                "Authorization", ADMIN).status());
        assertEquals(403, web.get("/auth/admin/keys", "Authorization", temp).status());
        assertFalse(server.auth.admin().user("temp.admin").orElseThrow().admin());

        assertEquals(204, web.sendJson("PUT", "/auth/admin/users/temp.admin", "{\"admin\":true}",
                "Authorization", ADMIN).status());
        String again = token("console-like", "temp.admin", "temp admin pw 1");
        assertEquals(200, web.get("/auth/admin/keys", "Authorization", again).status());
        server.auth.admin().lockUser("temp.admin");
        int locked = web.get("/auth/admin/keys", "Authorization", again).status();
        assertTrue(locked == 401 || locked == 403, "a locked user's role ends: " + locked);
    }
}
