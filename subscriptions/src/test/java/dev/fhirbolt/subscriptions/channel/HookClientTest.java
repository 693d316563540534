package dev.fhirbolt.subscriptions.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rest-hook's HTTP/1.1 client against a plain socket receiver that answers as each test says. */
class HookClientTest {

    /** A receiver on 127.0.0.1: each connection is served by its own thread; {@code answers} gives each reply. */
    static final class Receiver implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();
        /** Connections the client closed (the receiver read their end). */
        final AtomicInteger closedByClient = new AtomicInteger();
        final List<String> heads = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        Receiver() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        accepted.add(s);
                        connections.incrementAndGet();
                        Thread.ofPlatform().daemon().start(() -> serve(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
        }

        private void serve(Socket s) {
            try (s) {
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                while (true) {
                    StringBuilder head = new StringBuilder();
                    int length = 0;
                    for (String line = in.readLine(); ; line = in.readLine()) {
                        if (line == null) {
                            closedByClient.incrementAndGet();
                            return;
                        }
                        if (line.isEmpty()) {
                            break;
                        }
                        head.append(line).append('\n');
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    char[] body = new char[length];
                    for (int n = 0; n < length; ) {
                        n += in.read(body, n, length - n);
                    }
                    heads.add(head.toString());
                    bodies.add(new String(body));
                    String answer = answers.poll(5, TimeUnit.SECONDS);
                    if (answer == null || answer.equals("hang")) {
                        Thread.sleep(10_000);
                        return;
                    }
                    if (answer.startsWith("drip:")) { // what precedes a NUL at once, then a byte every 100 ms
                        String drip = answer.substring(5);
                        int split = drip.indexOf('\0') + 1;
                        out.write(drip.substring(0, split).replace("\0", "").getBytes(StandardCharsets.ISO_8859_1));
                        for (byte b : drip.substring(split).getBytes(StandardCharsets.ISO_8859_1)) {
                            out.write(b);
                            out.flush();
                            Thread.sleep(100);
                        }
                        continue;
                    }
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (answer.contains("Connection: close")) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the test closed it
            }
        }

        /** Closes the connections the receiver accepted (as a server ending idle keep-alive connections does). */
        void dropConnections() throws IOException {
            for (Socket s : accepted) {
                s.close();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            dropConnections();
        }
    }

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @Test
    void sendsMethodPathHeadersAndBodyAndKeepsTheConnection() throws Exception {
        try (Receiver r = new Receiver(); HookClient c = new HookClient()) {
            r.answers.add(OK);
            r.answers.add("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            r.answers.add("HTTP/1.1 204 No Content\r\n\r\n");
            assertEquals(200, c.call("PUT", r.uri("/hook/Observation/1?x=1"), List.of("X-Secret: s3cret"),
                    "application/fhir+json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 5000));
            assertEquals(201, c.call("POST", r.uri("/hook"), List.of(), "application/fhir+json",
                    "{}".getBytes(StandardCharsets.UTF_8), 5000));
            assertEquals(204, c.call("POST", r.uri("/hook"), List.of(), null, null, 5000));
            assertEquals(1, r.connections.get(), "one keep-alive connection for the three calls");
            String head = r.heads.get(0);
            assertTrue(head.startsWith("PUT /hook/Observation/1?x=1 HTTP/1.1\n"), head);
            assertTrue(head.contains("Host: 127.0.0.1:" + r.server.getLocalPort() + "\n"), head);
            assertTrue(head.contains("Content-Type: application/fhir+json\n"), head);
            assertTrue(head.contains("X-Secret: s3cret\n"), head);
            assertEquals("{\"a\":1}", r.bodies.get(0));
            assertTrue(r.heads.get(2).contains("Content-Length: 0\n"), r.heads.get(2));
        }
    }

    @Test
    void opensANewConnectionWhenTheOtherSideClosedTheIdleOneOrAsksForClose() throws Exception {
        try (Receiver r = new Receiver(); HookClient c = new HookClient()) {
            r.answers.add(OK);
            assertEquals(200, c.call("POST", r.uri("/hook"), List.of(), null, null, 5000));
            r.dropConnections(); // the pooled connection is now dead
            Thread.sleep(100);
            r.answers.add("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertEquals(500, c.call("POST", r.uri("/hook"), List.of(), null, null, 5000));
            r.answers.add(OK);
            assertEquals(200, c.call("POST", r.uri("/hook"), List.of(), null, null, 5000));
            assertEquals(3, r.connections.get());
        }
    }

    @Test
    void aConnectionFoundClosedAfterMoreThanASecondIdleIsReplacedBeforeTheCall() throws Exception {
        try (Receiver r = new Receiver(); HookClient c = new HookClient()) {
            r.answers.add(OK);
            assertEquals(200, c.call("POST", r.uri("/hook"), List.of(), null, null, 5000));
            r.dropConnections();
            Thread.sleep(1100); // idle > 1 s: checked (isStale) before it is used
            r.answers.add(OK);
            assertEquals(200, c.call("POST", r.uri("/hook"), List.of(), null, null, 5000));
            assertEquals(2, r.connections.get());
            assertEquals(2, r.heads.size(), "no request was sent on the closed connection");
        }
    }

    @Test
    void eachThreadHasItsOwnConnectionClosedWhenItIsReleased() throws Exception {
        try (Receiver r = new Receiver(); HookClient c = new HookClient()) {
            r.answers.add(OK);
            r.answers.add(OK);
            r.answers.add(OK);
            assertEquals(200, c.call("POST", r.uri("/hook"), List.of(), null, null, 5000));
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    assertEquals(200, c.call("POST", r.uri("/hook"), List.of(), null, null, 5000));
                    assertEquals(200, c.call("POST", r.uri("/hook"), List.of(), null, null, 5000));
                } catch (IOException e) {
                    throw new AssertionError(e);
                } finally {
                    c.release(); // a worker stopping
                }
            });
            other.join(10_000);
            assertEquals(2, r.connections.get(), "one connection per thread, kept for its second call");
            awaitClosed(r, 1);
            c.release();
            awaitClosed(r, 2);
        }
    }

    @Test
    void anotherEndpointGetsANewConnection() throws Exception {
        try (Receiver a = new Receiver(); Receiver b = new Receiver(); HookClient c = new HookClient()) {
            a.answers.add(OK);
            b.answers.add(OK);
            b.answers.add(OK);
            assertEquals(200, c.call("POST", a.uri("/hook"), List.of(), null, null, 5000));
            assertEquals(200, c.call("POST", b.uri("/hook"), List.of(), null, null, 5000));
            awaitClosed(a, 1); // the subscription's endpoint changed: its old connection is closed
            assertEquals(200, c.call("PUT", b.uri("/hook/Observation/1"), List.of(), null, null, 5000));
            assertEquals(1, b.connections.get(), "the same origin keeps its connection");
        }
    }

    @Test
    void theWatchdogClosesAConnectionIdleForMoreThan30Seconds() throws Exception {
        try (Receiver r = new Receiver(); CallWatchdog watchdog = new CallWatchdog()) {
            HookConnection c = new HookConnection(new HookTls(javax.net.ssl.SSLContext.getDefault()), watchdog);
            r.answers.add(OK);
            assertEquals(200, c.call("POST", r.uri("/hook"), List.of(), null, null, 5000));
            assertEquals(1, watchdog.watched().size());
            c.check(System.nanoTime() + 10_000_000_000L);
            assertEquals(0, r.closedByClient.get(), "idle for 10 s: kept");
            c.check(System.nanoTime() + HookConnection.IDLE_CLOSE_NANOS + 1_000_000_000L);
            awaitClosed(r, 1);
            assertEquals(0, watchdog.watched().size(), "a closed connection is no longer watched");
            r.answers.add(OK);
            assertEquals(200, c.call("POST", r.uri("/hook"), List.of(), null, null, 5000));
            assertEquals(2, r.connections.get());
            c.close();
        }
    }

    @Test
    void callsThatEndInTimeKeepTheirConnectionWhileTheWatchdogRuns() throws Exception {
        try (Receiver r = new Receiver(); HookClient c = new HookClient()) {
            long until = System.nanoTime() + 1_000_000_000L;
            int calls = 0;
            while (System.nanoTime() < until) { // deadlines of 300 ms pass between the calls: nothing is closed
                r.answers.add(OK);
                assertEquals(200, c.call("POST", r.uri("/hook"), List.of(), null, null, 300));
                calls++;
                Thread.sleep(50);
            }
            assertTrue(calls > 5, calls + " calls");
            assertEquals(1, r.connections.get());
        }
    }

    private static void awaitClosed(Receiver r, int count) throws InterruptedException {
        for (int i = 0; i < 100 && r.closedByClient.get() < count; i++) {
            Thread.sleep(20);
        }
        assertEquals(count, r.closedByClient.get(), "connections closed by the client");
    }

    @Test
    void aCallEndsAtItsTimeoutAndARefusedConnectionIsAnError() throws Exception {
        try (Receiver r = new Receiver(); HookClient c = new HookClient()) {
            r.answers.add("hang");
            long t0 = System.nanoTime();
            assertThrows(SocketTimeoutException.class,
                    () -> c.call("POST", r.uri("/hook"), List.of(), null, null, 500));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 400 && ms < 3000, ms + " ms");
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (HookClient c = new HookClient()) {
            assertThrows(IOException.class, () -> c.call("POST", URI.create("http://127.0.0.1:" + closedPort + "/"),
                    List.of(), null, null, 2000));
        }
    }

    @Test
    void anEndpointDrippingItsAnswerIsCutOffAtTheCallsDeadline() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: " + "a".repeat(60) + "\r\n";
        for (String answer : List.of("drip:" + head + "Content-Length: 0\r\n\r\n", // 10 s of head
                "drip:HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n\0" + "b".repeat(100))) { // 10 s of body
            try (Receiver r = new Receiver(); HookClient c = new HookClient()) {
                r.answers.add(answer);
                long t0 = System.nanoTime();
                assertThrows(SocketTimeoutException.class,
                        () -> c.call("POST", r.uri("/hook"), List.of(), null, null, 1000));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms >= 900 && ms < 2500, ms + " ms for a 1 s deadline (each read took 100 ms)");
            }
        }
    }

    @Test
    void interruptingTheCallerEndsTheCallAtOnce() throws Exception {
        try (Receiver r = new Receiver(); HookClient c = new HookClient()) {
            r.answers.add("hang");
            List<Throwable> failure = new ArrayList<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    c.call("POST", r.uri("/hook"), List.of(), null, null, 30_000);
                } catch (Throwable e) {
                    failure.add(e);
                }
            });
            Thread.sleep(300);
            long t0 = System.nanoTime();
            caller.interrupt();
            caller.join(5000);
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000);
            assertEquals(1, failure.size());
            assertTrue(failure.get(0) instanceof java.nio.channels.ClosedByInterruptException, failure.toString());
        }
    }

    @Test
    void anHttpsEndpointIsCalledOverTlsAndAnUntrustedOneIsAnError() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                HookClient c = new HookClient()) {
            AtomicInteger first = new AtomicInteger(-1);
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = server.accept()) {
                    first.set(s.getInputStream().read()); // then closed: no handshake
                } catch (IOException e) {
                    // the test ends
                }
            });
            // a long deadline: the JVM's first TLS call loads the trust store and the providers, seconds on a busy
            // machine, and the deadline covers the whole call (the endpoint hangs up after the first byte anyway)
            assertThrows(IOException.class, () -> c.call("POST",
                    URI.create("https://localhost:" + server.getLocalPort() + "/hook"), List.of(), null, null, 30_000));
            assertEquals(0x16, first.get(), "a TLS handshake record, not an HTTP request line");
        }
    }

    @Test
    void aMalformedAnswerIsAnError() throws Exception {
        try (Receiver r = new Receiver(); HookClient c = new HookClient()) {
            r.answers.add("SSH-2.0-OpenSSH\r\n\r\n");
            assertThrows(IOException.class, () -> c.call("POST", r.uri("/hook"), List.of(), null, null, 2000));
        }
    }
}
