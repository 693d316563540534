package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** $reindex over HTTP, and the automatic reindex when a SearchParameter is created. */
class ReindexTest {

    static final String NICKNAME = "{\"resourceType\":\"SearchParameter\",\"url\":\"http://x/nick\","
            + "\"name\":\"nickname\",\"status\":\"active\",\"description\":\"nickname\","
            + "\"code\":\"nickname\",\"base\":[\"Patient\"],"
            + "\"type\":\"string\",\"expression\":\"Patient.name.where(use='nickname').given\"}";

    static void patients(TestServer s, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = s.send("PUT", "/Patient/p" + i, "{\"resourceType\":\"Patient\",\"id\":\"p" + i
                    + "\",\"name\":[{\"use\":\"nickname\",\"given\":[\"Nick" + i + "\"]}]}");
            assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.body());
        }
    }

    /** Polls the search until it finds something (the automatic reindex runs in the background). */
    static String awaitMatch(TestServer s, String query) throws Exception {
        long end = System.currentTimeMillis() + 30_000;
        String body = "";
        while (System.currentTimeMillis() < end) {
            body = s.get(query).body();
            if (body.contains("\"total\":1")) {
                return body;
            }
            Thread.sleep(50);
        }
        return body;
    }

    @Test
    void creatingASearchParameterReindexesItsTypes() throws Exception {
        try (TestServer s = TestServer.start()) {
            patients(s, 20);
            assertEquals(201, s.send("POST", "/SearchParameter", NICKNAME).statusCode());
            String body = awaitMatch(s, "/Patient?nickname=Nick7&_total=accurate");
            assertTrue(body.contains("\"total\":1") && body.contains("Patient/p7"), body);
            // reindexing made no new versions
            assertTrue(s.get("/Patient/p7").body().contains("\"versionId\":\"1\""));
        }
    }

    @Test
    void reindexOperationAnswersWithAStatusUrl() throws Exception {
        try (TestServer s = TestServer.start()) {
            patients(s, 5);
            HttpResponse<String> kickOff = s.send("POST", "/Patient/$reindex", null);
            assertEquals(202, kickOff.statusCode(), kickOff.body());
            String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
            assertTrue(status.startsWith(s.base + "/$reindex?_jobId="), status);
            HttpResponse<String> poll = null;
            long end = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < end) {
                poll = s.get(status.substring(s.base.length()));
                if (poll.statusCode() != 202) {
                    break;
                }
                assertTrue(poll.headers().firstValue("X-Progress").isPresent());
                Thread.sleep(20);
            }
            assertEquals(200, poll.statusCode(), poll.body());
            assertTrue(poll.body().contains("completed") && poll.body().contains("5 resources"), poll.body());
            assertEquals(400, s.send("POST", "/$reindex?type=NoSuchType", null).statusCode());
            assertEquals(404, s.get("/$reindex?_jobId=nope").statusCode());
        }
    }
}
