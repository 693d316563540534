package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Acknowledged writes survive a restart, a SIGTERM and a kill -9 of the server process. */
class DurabilityTest {

    @Test
    void restartKeepsData() throws Exception {
        TestServer server = TestServer.start();
        HttpResponse<String> created = server.send("PUT", "/Patient/keep-me", "{\"resourceType\":\"Patient\","
                + "\"id\":\"keep-me\",\"active\":true}");
        assertEquals(201, created.statusCode());
        server = server.restart();
        try (TestServer restarted = server) {
            HttpResponse<String> read = restarted.get("/Patient/keep-me");
            assertEquals(200, read.statusCode());
            assertTrue(read.body().contains("\"active\":true"));
            HttpResponse<String> next = restarted.send("POST", "/Patient", "{\"resourceType\":\"Patient\"}");
            assertEquals(201, next.statusCode());
        }
    }

    @Test
    void acknowledgedWritesSurviveKillDashNine() throws Exception {
        Path dataDir = Files.createTempDirectory("fhirbolt-kill");
        int port = freePort();
        Process process = startProcess(dataDir, port);
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        HttpClient http = HttpClient.newHttpClient();
        try (ExecutorService writers = Executors.newFixedThreadPool(8)) {
            for (int w = 0; w < 8; w++) {
                writers.submit(() -> {
                    for (int i = 0; i < 100_000 && process.isAlive(); i++) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + port + "/Observation"))
                                    .header("Content-Type", "application/fhir+json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Observation\","
                                            + "\"status\":\"final\",\"code\":{\"text\":\"n" + i + "\"}}"))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) {
                                acknowledged.add(r.headers().firstValue("Location").orElseThrow());
                            }
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
            }
            while (acknowledged.size() < 300) {
                Thread.sleep(20);
            }
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            writers.shutdown();
            assertTrue(writers.awaitTermination(30, TimeUnit.SECONDS));
        }
        try (TestServer restarted = TestServer.start(dataDir, Map.of())) {
            for (String location : acknowledged) {
                String path = URI.create(location).getPath();
                HttpResponse<String> read = restarted.get(path.substring(0, path.indexOf("/_history")));
                assertEquals(200, read.statusCode(), "acknowledged " + location + " must survive kill -9");
            }
        }
    }

    @Test
    void sigtermShutsDownGracefullyAndFlushes() throws Exception {
        Path dataDir = Files.createTempDirectory("fhirbolt-term");
        int port = freePort();
        Process process = startProcess(dataDir, port);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/Patient/graceful")).header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"id\":\"graceful\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode());
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String log = Files.readString(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
        assertTrue(log.contains("storage flushed and closed"), log);
        try (TestServer restarted = TestServer.start(dataDir, Map.of())) {
            assertEquals(200, restarted.get("/Patient/graceful").statusCode());
        }
    }

    private static Process startProcess(Path dataDir, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile();
        Process process = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "dev.fhirbolt.app.Main", "serve", "--security", "off", "--port", Integer.toString(port), "--data-dir",
                dataDir.toString()))
                .redirectErrorStream(true).redirectOutput(log).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return process;
                }
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("server did not start: " + Files.readString(log.toPath()));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
