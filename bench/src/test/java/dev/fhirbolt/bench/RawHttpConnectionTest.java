package dev.fhirbolt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawHttpConnectionTest {

    /** Answers each request read from one connection with the next canned response. */
    private static Thread serve(ServerSocket server, List<String> responses, StringBuilder seen) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                for (String response : responses) {
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                        head.write(in.read());
                    }
                    String h = head.toString(StandardCharsets.ISO_8859_1);
                    seen.append(h);
                    int cl = h.indexOf("Content-Length: ");
                    if (cl >= 0) {
                        int len = Integer.parseInt(h.substring(cl + 16, h.indexOf("\r\n", cl)));
                        seen.append(new String(in.readNBytes(len), StandardCharsets.UTF_8));
                    }
                    s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (Exception ignored) {
                // the test's assertions tell
            }
        });
    }

    @Test
    void keepsTheConnectionAcrossContentLengthAndChunkedResponses() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            StringBuilder seen = new StringBuilder();
            Thread t = serve(server, List.of(
                    "HTTP/1.1 201 Created\r\nLocation: http://x/Patient/1/_history/1\r\nContent-Length: 5\r\n\r\nhello",
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
                    "HTTP/1.1 204 No Content\r\n\r\n"), seen);
            try (RawHttpConnection c = new RawHttpConnection("http://127.0.0.1:" + server.getLocalPort(), 5_000)) {
                var created = c.exchange(Call.post("Patient", "{}".getBytes(StandardCharsets.UTF_8)));
                assertEquals(201, created.status());
                assertEquals("http://x/Patient/1/_history/1", created.location());
                var read = c.exchange(Call.get("Patient/1"));
                assertEquals(200, read.status());
                assertNull(read.location());
                assertEquals(204, c.exchange(Call.get("Patient/2")).status());
            }
            t.join(5_000);
            String requests = seen.toString();
            assertTrue(requests.startsWith("POST /Patient HTTP/1.1\r\n"), requests);
            assertTrue(requests.contains("Content-Type: application/fhir+json\r\nContent-Length: 2\r\n\r\n{}"),
                    requests);
            assertTrue(requests.contains("GET /Patient/1 HTTP/1.1\r\n"), requests);
        }
    }
}
