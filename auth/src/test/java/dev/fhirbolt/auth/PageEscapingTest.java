package dev.fhirbolt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Names that come from app registrations, users, patient records and the query string are shown as text on the
 * pages: HTML metacharacters in them never become markup, in element content or in attribute values.
 */
class PageEscapingTest {

    static final String APP = "<script>alert('app')</script> \"Quoted\" & Co's App";
    static final String PATIENT = "<script>alert(\"p\")</script> O'Neil & \"Bob\"";
    static final String GENDER = "\"><img src=x>";
    static final String ENCOUNTER = "<b onmouseover='x'>visit</b> \"A&E\"";
    static final String USER = "<i>Dr \"Q\" O'Hara</i>";
    static final String QUERY = "\"><script>alert(1)</script>'";

    static TestServer server;
    static String base;

    static final PatientDirectory DIRECTORY = new PatientDirectory() {
        @Override
        public List<PatientChoice> findPatients(String nameQuery, int limit) {
            return List.of(new PatientChoice("p-evil", PATIENT, "1990-01-01", GENDER));
        }

        @Override
        public List<EncounterChoice> encountersOf(String patientId, int limit) {
            return List.of(new EncounterChoice("enc-evil", ENCOUNTER));
        }

        @Override
        public java.util.Optional<String> patientName(String patientId) {
            return java.util.Optional.of(PATIENT);
        }

        @Override
        public boolean exists(String reference) {
            return "Patient/p-evil".equals(reference);
        }
    };

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(b -> b, DIRECTORY);
        base = server.base;
        server.auth.admin().registerClient(new ClientSpec("evil-app", APP, ClientType.PUBLIC,
                List.of(base + "/app/callback"), base + "/app/launch", List.of("launch", "launch/patient",
                        "launch/encounter", "patient/*.rs", "openid", "fhirUser"), null, null));
        server.auth.admin().createUser("quoted", "quoted-password", "Practitioner/quoted", USER);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void namesAreTextOnTheSignInPickerConsentAndPermissionsPages() throws Exception {
        Web web = new Web(base);
        Map<String, String> req = Web.request(base, "evil-app",
                "launch/patient launch/encounter patient/*.rs openid fhirUser", Web.verifier());
        String flow = Web.queryOf(web.get("/auth/authorize?" + Web.formBody(req)).location()).get("id");

        String signIn = web.get("/auth/flow?id=" + flow).body();
        assertTrue(signIn.contains("<h1>Sign in</h1>"), signIn);
        assertShownAsText(signIn, APP);
        Web.Res login = web.postForm("/auth/login", Map.of("csrf", Web.field(signIn, "csrf"), "flow", flow,
                "username", "quoted", "password", "quoted-password"));
        assertEquals(303, login.status(), login.body());

        Web.Res picker = web.get("/auth/flow?id=" + flow + "&q=" + Web.enc(QUERY));
        assertEquals(200, picker.status());
        String patients = picker.body();
        assertTrue(patients.contains("<h1>Choose a patient</h1>"), patients);
        assertShownAsText(patients, APP);
        assertShownAsText(patients, PATIENT);
        assertShownAsText(patients, GENDER);
        assertEquals(QUERY, attribute(patients, "id=\"q\" name=\"q\" value"), "the query stays inside its attribute");

        Web.Res pick = web.postForm("/auth/pick", Map.of("csrf", Web.field(patients, "csrf"), "flow", flow,
                "patient", "p-evil"));
        assertEquals(303, pick.status(), pick.body());
        String encounters = web.get(pick.location()).body();
        assertTrue(encounters.contains("<h1>Choose an encounter</h1>"), encounters);
        assertShownAsText(encounters, APP);
        assertShownAsText(encounters, PATIENT);
        assertShownAsText(encounters, ENCOUNTER);

        pick = web.postForm("/auth/pick", Map.of("csrf", Web.field(encounters, "csrf"), "flow", flow,
                "encounter", "enc-evil"));
        assertEquals(303, pick.status(), pick.body());
        String consent = web.get(pick.location()).body();
        assertTrue(consent.contains("<h1>Allow access?</h1>"), consent);
        assertShownAsText(consent, APP);
        assertShownAsText(consent, PATIENT);
        assertShownAsText(consent, USER);
        assertEquals(List.of("patient/*.rs"), Web.checkboxes(consent));

        Map<String, Object> form = new LinkedHashMap<>();
        form.put("csrf", Web.field(consent, "csrf"));
        form.put("flow", flow);
        form.put("decision", "allow");
        form.put("scope", List.of("patient/*.rs"));
        Web.Res done = web.postForm("/auth/consent", form);
        assertEquals(303, done.status(), done.body());
        assertTrue(done.location().startsWith(base + "/app/callback?code="), done.location());

        String permissions = web.get("/auth/manage").body();
        assertTrue(permissions.contains("<h1>Your app permissions</h1>"), permissions);
        assertShownAsText(permissions, APP);
        assertEquals("Revoke access of " + APP, attribute(permissions, "aria-label"));
    }

    @Test
    void namesAreTextOnTheLauncher() throws Exception {
        Web web = new Web(base);
        String signIn = web.get("/auth/login?next=/auth/launch").body();
        web.postForm("/auth/login", Map.of("csrf", Web.field(signIn, "csrf"), "next", "/auth/launch",
                "username", "quoted", "password", "quoted-password"));
        String search = web.get("/auth/launch?q=" + Web.enc(QUERY)).body();
        assertTrue(search.contains("<h1>Launch an app</h1>"), search);
        assertShownAsText(search, USER);
        assertShownAsText(search, PATIENT);
        assertEquals(QUERY, attribute(search, "id=\"q\" name=\"q\" value"));
        String choose = web.get("/auth/launch?patient=" + Web.enc(QUERY)).body();
        assertShownAsText(choose, APP);
        assertShownAsText(choose, ENCOUNTER);
        assertShownAsText(choose, QUERY);
        assertEquals(QUERY, attribute(choose, "name=\"patient\" value"), "the patient stays inside its attribute");

        Web.Res signOut = web.get("/auth/logout");
        assertTrue(signOut.body().contains("id=\"sign-out\""), signOut.body());
        Web.Res signedOut = web.postForm("/auth/logout", Map.of("csrf", Web.field(signOut.body(), "csrf")));
        assertEquals(200, signedOut.status());
        assertTrue(signedOut.body().contains("<h1>Signed out</h1>"), signedOut.body());
        assertEquals("no-store", signedOut.header("Cache-Control"));
    }

    @Test
    void errorMessagesAreText() throws Exception {
        Web web = new Web(base);
        Map<String, String> req = Web.request(base, "evil-app", "patient/*.rs", Web.verifier());
        req.put("redirect_uri", "https://elsewhere.example/cb");
        Web.Res r = web.get("/auth/authorize?" + Web.formBody(req));
        assertEquals(400, r.status());
        assertShownAsText(r.body(), APP);
        assertEquals("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'",
                r.header("Content-Security-Policy"));
    }

    /** The page shows {@code text} (escaped), and no markup of it got through. */
    private static void assertShownAsText(String html, String text) {
        String lower = html.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("<script"), html);
        assertFalse(lower.contains("<img"), html);
        assertFalse(lower.contains("<b "), html);
        assertFalse(lower.contains("<i>"), html);
        assertTrue(texts(html).stream().anyMatch(t -> t.contains(text)), "not shown: " + text + " in " + html);
    }

    /** The text between tags, and every double-quoted attribute value, unescaped. */
    private static List<String> texts(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(">([^<]*)<|=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            out.add(unescape(m.group(1) != null ? m.group(1) : m.group(2)));
        }
        out.add(unescape(html.replaceAll("<[^>]*>", ""))); // text spread over inline elements
        return out;
    }

    /** The unescaped value of the first attribute whose text up to {@code ="} is {@code prefix}. */
    private static String attribute(String html, String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), "no " + prefix + " in " + html);
        return unescape(m.group(1));
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#34;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
    }
}
