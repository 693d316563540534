package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Referential integrity (on by default) over HTTP: dangling references, deletes of referenced resources. */
class ReferentialIntegrityTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Files.createTempDirectory("fhirbolt-refint"), Map.of("referential-integrity", "on"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String observation(String id, String subject) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"" + subject + "\"}}";
    }

    private static String patient(String id) {
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}";
    }

    @Test
    void referenceToNothingIsRefused() throws Exception {
        HttpResponse<String> r = server.send("PUT", "/Observation/dangling", observation("dangling", "Patient/ghost"));
        assertEquals(422, r.statusCode(), r.body());
        assertTrue(r.body().contains("Patient/ghost"), r.body());
        assertEquals(404, server.get("/Observation/dangling").statusCode());
        assertEquals(201, server.send("PUT", "/Observation/contained", "{\"resourceType\":\"Observation\",\"id\":"
                + "\"contained\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":"
                + "\"https://elsewhere.example/Patient/1\"}}").statusCode());
    }

    @Test
    void referencedResourceCannotBeDeletedUnlessCascade() throws Exception {
        assertEquals(201, server.send("PUT", "/Patient/kept", patient("kept")).statusCode());
        assertEquals(201, server.send("PUT", "/Observation/o-kept", observation("o-kept", "Patient/kept"))
                .statusCode());
        HttpResponse<String> refused = server.send("DELETE", "/Patient/kept", null);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("Observation/o-kept"), refused.body());
        assertEquals(200, server.get("/Patient/kept").statusCode());

        HttpResponse<String> check = server.send("POST", "/Patient/kept/$validate?mode=delete", null);
        assertEquals(200, check.statusCode());
        assertTrue(check.body().contains("Observation/o-kept"), check.body());

        assertEquals(400, server.send("DELETE", "/Patient/kept?_cascade=sideways", null).statusCode());
        HttpResponse<String> cascade = server.send("DELETE", "/Patient/kept?_cascade=delete", null);
        assertTrue(cascade.statusCode() == 200 || cascade.statusCode() == 204, cascade.body());
        assertEquals(410, server.get("/Patient/kept").statusCode());
        assertEquals(410, server.get("/Observation/o-kept").statusCode());
    }

    @Test
    void transactionIsJudgedOnItsFinalState() throws Exception {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:6d1b7f2e-0000-4000-8000-000000000001\",\"resource\":{\"resourceType\":"
                + "\"Patient\"},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"urn:uuid:6d1b7f2e-0000-4000-8000-000000000001\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                + "{\"resource\":" + patient("tx-later") + ",\"request\":{\"method\":\"PUT\",\"url\":\"Patient/tx-later\"}},"
                + "{\"resource\":" + observation("tx-o", "Patient/tx-later")
                + ",\"request\":{\"method\":\"PUT\",\"url\":\"Observation/tx-o\"}}]}";
        HttpResponse<String> r = server.send("POST", "/", bundle);
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void offAllowsBoth() throws Exception {
        try (TestServer off = TestServer.start(Files.createTempDirectory("fhirbolt-refint-off"),
                Map.of("referential-integrity", "off"))) {
            assertEquals(201, off.send("PUT", "/Observation/d", observation("d", "Patient/ghost")).statusCode());
            assertEquals(201, off.send("PUT", "/Patient/p", patient("p")).statusCode());
            assertEquals(201, off.send("PUT", "/Observation/e", observation("e", "Patient/p")).statusCode());
            int status = off.send("DELETE", "/Patient/p", null).statusCode();
            assertTrue(status == 200 || status == 204, Integer.toString(status));
        }
    }

    private static String tx(String... entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries)
                + "]}";
    }

    private static String delete(String url) {
        return "{\"request\":{\"method\":\"DELETE\",\"url\":\"" + url + "\"}}";
    }

    private static String put(String url, String resource) {
        return "{\"resource\":" + resource + ",\"request\":{\"method\":\"PUT\",\"url\":\"" + url + "\"}}";
    }

    @Test
    void transactionDeletingAReferencedResourceIsRefusedNamingTheReferrer() throws Exception {
        assertEquals(201, server.send("PUT", "/Patient/tx-del", patient("tx-del")).statusCode());
        assertEquals(201, server.send("PUT", "/Observation/tx-del-o", observation("tx-del-o", "Patient/tx-del"))
                .statusCode());
        HttpResponse<String> refused = server.send("POST", "/", tx(delete("Patient/tx-del")));
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("Observation/tx-del-o"), refused.body());
        assertEquals(200, server.get("/Patient/tx-del").statusCode());

        HttpResponse<String> newReferrer = server.send("POST", "/", tx(delete("Observation/tx-del-o"),
                delete("Patient/tx-del"), put("Observation/tx-del-new", observation("tx-del-new", "Patient/tx-del"))));
        assertEquals(409, newReferrer.statusCode(), newReferrer.body());
        assertTrue(newReferrer.body().contains("Observation/tx-del-new"), newReferrer.body());
        assertEquals(200, server.get("/Observation/tx-del-o").statusCode());
    }

    @Test
    void transactionMayDeleteAResourceWithItsReferrersOrAfterRepointingThem() throws Exception {
        assertEquals(201, server.send("PUT", "/Patient/tx-a", patient("tx-a")).statusCode());
        assertEquals(201, server.send("PUT", "/Patient/tx-b", patient("tx-b")).statusCode());
        assertEquals(201, server.send("PUT", "/Observation/tx-a-o1", observation("tx-a-o1", "Patient/tx-a"))
                .statusCode());
        assertEquals(201, server.send("PUT", "/Observation/tx-a-o2", observation("tx-a-o2", "Patient/tx-a"))
                .statusCode());
        HttpResponse<String> ok = server.send("POST", "/", tx(delete("Patient/tx-a"), delete("Observation/tx-a-o1"),
                put("Observation/tx-a-o2", observation("tx-a-o2", "Patient/tx-b"))));
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(410, server.get("/Patient/tx-a").statusCode());
        assertEquals(410, server.get("/Observation/tx-a-o1").statusCode());
        assertTrue(server.get("/Observation/tx-a-o2").body().contains("Patient/tx-b"));
    }
}
