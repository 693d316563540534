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
    }

    @Test
    void badAddressesGetAClearPageWithA4xxStatus() throws Exception {
        assertEquals(404, server.get("/console/resource/Patient/nope").statusCode());
        assertEquals(404, server.get("/console/search/NoSuchType").statusCode());
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
}
