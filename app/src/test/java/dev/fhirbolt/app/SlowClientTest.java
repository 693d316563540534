package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that trickle their request headers a byte at a time, or open a connection and say nothing, are cut off by
 * the header deadline and the idle timeout, while ordinary requests keep being answered.
 */
class SlowClientTest {

    static final int CONNECTIONS = 300;

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(java.nio.file.Files.createTempDirectory("fhirbolt-slow"),
                Map.of("header-timeout-ms", "1000", "idle-timeout-ms", "2000"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void tricklingHeadersAreCutOffAtTheDeadline() throws Exception {
        List<Socket> sockets = open(CONNECTIONS);
        try {
            for (Socket s : sockets) {
                s.getOutputStream().write("GET /metadata HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            long started = System.nanoTime();
            byte[] trickle = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                    .getBytes(StandardCharsets.US_ASCII);
            int open = CONNECTIONS;
            boolean answeredMeanwhile = false;
            // one byte on every connection every 100 ms: never idle for long, never done with the headers
            for (int round = 0; open > 0 && round < 150; round++) {
                open = 0;
                for (Socket s : sockets) {
                    if (!closedByServer(s, trickle[round % trickle.length])) {
                        open++;
                    }
                }
                if (!answeredMeanwhile && round == 1) {
                    assertEquals(200, server.get("/metadata").statusCode());
                    answeredMeanwhile = true;
                }
                Thread.sleep(100);
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertEquals(0, open, open + " trickling connections still open after " + seconds + " s");
            assertTrue(seconds <= 10, "closed after " + seconds + " s");
            assertTrue(answeredMeanwhile);
            assertEquals(200, server.get("/metadata").statusCode());
        } finally {
            close(sockets);
        }
    }

    @Test
    void silentConnectionsAreClosedAtTheIdleTimeout() throws Exception {
        List<Socket> sockets = open(50);
        try {
            long started = System.nanoTime();
            int open = sockets.size();
            while (open > 0 && System.nanoTime() - started < 15_000_000_000L) {
                open = 0;
                for (Socket s : sockets) {
                    if (!closedByServer(s, -1)) {
                        open++;
                    }
                }
                Thread.sleep(200);
            }
            assertEquals(0, open, "silent connections still open after 15 s");
        } finally {
            close(sockets);
        }
    }

    @Test
    void aTricklingBodyIsRefusedWith408() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(1);
            s.getOutputStream().write(("POST /Patient HTTP/1.1\r\nHost: x\r\nContent-Type: application/fhir+json\r\n"
                    + "Content-Length: 10000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            StringBuilder answer = new StringBuilder();
            boolean closed = false;
            // a byte every 100 ms: 10 bytes a second, far below the 1024 the server asks for
            while (!closed && System.nanoTime() - started < 20_000_000_000L) {
                try {
                    s.getOutputStream().write(' ');
                    byte[] buffer = new byte[4096];
                    int n = s.getInputStream().read(buffer);
                    if (n < 0) {
                        closed = true;
                    } else {
                        answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (SocketTimeoutException e) {
                    // nothing yet
                } catch (IOException e) {
                    closed = true;
                }
                Thread.sleep(100);
            }
            assertTrue(closed || answer.length() > 0, "the trickling body was still being read after 20 s");
            if (answer.length() > 0) {
                assertTrue(answer.toString().startsWith("HTTP/1.1 408"), answer.toString());
                assertTrue(answer.toString().contains("OperationOutcome"), answer.toString());
            }
        }
    }

    @Test
    void aRequestThatArrivesInTimeIsAnswered() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.server.port())) {
            s.setSoTimeout(10_000);
            for (byte b : "GET /metadata HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)) {
                s.getOutputStream().write(b); // slow, but within the deadline: 50 bytes in about 0.5 s
                Thread.sleep(10);
            }
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
        }
    }

    private static List<Socket> open(int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket s = new Socket("127.0.0.1", server.server.port());
            s.setSoTimeout(1);
            sockets.add(s);
        }
        return sockets;
    }

    /** Sends one byte (unless negative) and tells whether the server has closed the connection. */
    private static boolean closedByServer(Socket s, int oneByte) {
        if (s.isClosed()) {
            return true;
        }
        try {
            if (oneByte >= 0) {
                s.getOutputStream().write(oneByte);
            }
            byte[] buffer = new byte[4096];
            if (s.getInputStream().read(buffer) < 0) {
                s.close();
                return true;
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            return true;
        }
    }

    private static void close(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the server may have closed it first
            }
        }
    }
}
