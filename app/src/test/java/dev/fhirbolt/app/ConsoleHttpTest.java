package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console over plain HTTP with security off: browsers (Accept: text/html) are sent to it, FHIR clients are not,
 * it says loudly that it is in development mode, and bad addresses get a clear 4xx page.
 */
class ConsoleHttpTest {

    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
            + "image/webp,*/*;q=0.8";
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        assertEquals(201, server.send("PUT", "/Patient/dev-1", "{\"resourceType\":\"Patient\",\"id\":\"dev-1\","
                + "\"name\":[{\"family\":\"Devmode\"}]}").statusCode());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void browsersAreSentToTheConsoleAndFhirClientsAreNot() throws Exception {
        HttpResponse<String> root = server.get("/", "Accept", BROWSER);
        assertEquals(303, root.statusCode());
        assertEquals("/console/", root.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> metadata = server.get("/metadata", "Accept", BROWSER);
        assertEquals(303, metadata.statusCode());
        assertEquals("/console/fhir/metadata", metadata.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> search = server.get("/Patient?name=Devmode", "Accept", BROWSER);
        assertEquals("/console/fhir/Patient?name=Devmode",
                search.headers().firstValue("Location").orElseThrow());
        assertEquals(200, server.get("/metadata", "Accept", "application/fhir+xml").statusCode());
        assertTrue(server.get("/Patient?name=Devmode", "Accept", "application/fhir+json").body()
                .contains("\"resourceType\":\"Bundle\""));
        assertTrue(server.get("/Patient?name=Devmode&_format=xml", "Accept", BROWSER).body().startsWith("<"),
                "an explicit _format wins");
        assertTrue(server.get("/Patient/dev-1").body().contains("Devmode"), "no Accept: FHIR");
        assertEquals(404, server.get("/auth/nothing", "Accept", BROWSER).statusCode(), "not a FHIR path");
    }

    @Test
    void theSampleAppLoadsTheVendoredFhirclientFromTheJar() throws Exception {
        HttpResponse<String> js = server.get("/sample-app/fhirclient/fhir-client.min.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(js.body().startsWith("/*! For license information please see fhir-client.min.js.LICENSE.txt */"),
                "the bundle is served as published, with its licence header");
        assertTrue(js.body().contains("window.FHIR="), "the browser bundle of fhirclient");
        assertTrue(js.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'self'"));
        assertEquals(200, server.get("/sample-app/fhirclient/fhir-client.min.js.LICENSE.txt").statusCode());
        assertTrue(server.get("/sample-app/fhirclient/LICENSE").body().contains("Apache License"));
        for (String page : new String[] {"/sample-app/launch.html", "/sample-app/index.html"}) {
            String html = server.get(page).body();
            assertTrue(html.indexOf("src=\"fhirclient/fhir-client.min.js\"") < html.indexOf("src=\"sample-app.js\""),
                    page + " loads fhirclient before the app's script: " + html);
        }
        assertTrue(server.get("/sample-app/fhirclient/README.md").statusCode() >= 400, "only the named files");
    }

    @Test
    void withSecurityOffTheConsoleNeedsNoSignInAndSaysItIsInDevelopmentMode() throws Exception {
        HttpResponse<String> page = server.get("/console/", "Accept", BROWSER);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("id=\"dev-mode\""), page.body());
        assertTrue(page.body().contains("Development mode: security is off"));
        HttpResponse<String> counted = server.get("/console/?wait=1", "Accept", BROWSER);
        assertTrue(counted.body().contains("/console/search/Patient"), "counts are shown without sign-in");
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().contains("script-src 'self'"));
        HttpResponse<String> patient = server.get("/console/patient/dev-1", "Accept", BROWSER);
        assertEquals(200, patient.statusCode());
        assertTrue(patient.body().contains("Devmode"));
        // streamed (the head first, then the content): one whole page, security headers included
        assertTrue(patient.body().contains("id=\"record\"") && patient.body().strip().endsWith("</html>"),
                patient.body());
        assertTrue(patient.headers().firstValue("Content-Security-Policy").isPresent());
    }

    @Test
    void badAddressesGetAClearPageWithA4xxStatus() throws Exception {
        assertEquals(404, server.get("/console/resource/Patient/nope").statusCode());
        assertEquals(404, server.get("/console/search/NoSuchType").statusCode());
        assertEquals(404, server.get("/console/patient/nope").statusCode(), "decided before the head is sent");
        assertEquals(404, server.get("/console/nothing-here").statusCode());
        assertEquals(400, server.get("/console/resource/Patient/%3Cscript%3E").statusCode());
        HttpResponse<String> bad = server.get("/console/search/Patient?birthdate=notadate");
        assertEquals(200, bad.statusCode());
        assertTrue(bad.body().contains("id=\"error\""), "the server's reason is shown on the search page");
        assertEquals(405, server.send("POST", "/console/", "x").statusCode());
        HttpResponse<String> callback = server.get("/console/callback?code=x&state=y");
        assertEquals(400, callback.statusCode());
        assertTrue(callback.body().contains("not started from this browser"));
        assertEquals(200, server.get("/console/assets/console.css").statusCode());
        assertEquals(404, server.get("/console/assets/../pom.xml").statusCode());
    }

    @Test
    void badFormsAndUploadsGetA4xxAndChangeNothing() throws Exception {
        HttpResponse<String> data = server.get("/console/data");
        assertEquals(200, data.statusCode());
        String cookie = data.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-csrf=\"([^\"]+)\"").matcher(data.body());
        assertTrue(m.find(), "the page carries the session's CSRF token");
        String csrf = m.group(1);
        String form = "application/x-www-form-urlencoded";
        assertEquals(403, server.send("POST", "/console/edit/Patient/f-1", "json=%7B%7D&csrf=wrong",
                "Content-Type", form, "Cookie", cookie).statusCode(), "a wrong CSRF token");
        assertEquals(403, server.send("POST", "/console/delete/Patient/f-1", "csrf=" + csrf,
                "Content-Type", form).statusCode(), "no session cookie");
        assertEquals(415, server.send("POST", "/console/transaction", "{}", "Content-Type", "application/json",
                "Cookie", cookie).statusCode());
        HttpResponse<String> notJson = server.send("POST", "/console/edit/Patient", "csrf=" + csrf + "&json=%7Bnope",
                "Content-Type", form, "Cookie", cookie);
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().contains("not a JSON object"), notJson.body());
        HttpResponse<String> notABundle = server.send("POST", "/console/transaction", "csrf=" + csrf
                + "&bundle=%7B%22resourceType%22%3A%22Patient%22%7D", "Content-Type", form, "Cookie", cookie);
        assertEquals(400, notABundle.statusCode());
        HttpResponse<String> upload = server.send("POST", "/console/data/upload?id=bad&name=x.ndjson", "{}",
                "X-CSRF-Token", csrf, "Cookie", cookie);
        assertEquals(400, upload.statusCode());
        assertTrue(upload.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        HttpResponse<String> badLine = server.send("POST", "/console/data/upload?id=abcdefgh1&name=x.ndjson",
                "not json\n", "X-CSRF-Token", csrf, "Cookie", cookie);
        assertEquals(400, badLine.statusCode());
        assertTrue(badLine.body().contains("Line 1 is not a FHIR resource"), badLine.body());
        assertEquals(400, server.send("POST", "/console/data/demo", "csrf=" + csrf + "&patients=many&seed=1",
                "Content-Type", form, "Cookie", cookie).statusCode());
        assertEquals(400, server.send("POST", "/console/data/export", "csrf=" + csrf + "&level=moon",
                "Content-Type", form, "Cookie", cookie).statusCode());
        assertEquals(400, server.send("POST", "/console/data/reindex", "csrf=" + csrf + "&types=no%20such",
                "Content-Type", form, "Cookie", cookie).statusCode());
        assertEquals(404, server.get("/console/data/export-file?job=nope&file=Patient.ndjson").statusCode());
        assertEquals(400, server.get("/console/diff/Patient/f-1?from=1").statusCode());
        assertEquals(404, server.get("/console/edit/Patient/no-such").statusCode());
    }
}
