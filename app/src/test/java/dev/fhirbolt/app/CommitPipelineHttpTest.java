package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Over HTTP: failures around the commit pipeline never leave a write hanging or the server silently broken. */
class CommitPipelineHttpTest {

    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"active\":true}";

    @Test
    void anErrorInACommitListenerDoesNotStopWrites() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.server.store().addCommitListener(outcomes -> {
                throw new OutOfMemoryError("thrown by a listener");
            });
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = server.send("POST", "/Patient", PATIENT);
                assertEquals(201, r.statusCode(), r.body());
            }
            assertEquals(200, server.get("/health").statusCode());
        }
    }

    @Test
    void writesToAStoppedPipelineAnswer503AtOnce() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.server.store().close();
            long started = System.nanoTime();
            HttpResponse<String> r = server.send("POST", "/Patient", PATIENT);
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("OperationOutcome"), r.body());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5);
        }
    }
}
