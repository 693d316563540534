package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fhirbolt load} as a real process against servers that fail: one that never answers (a dead commit
 * pipeline) and one that answers 500. The first Ctrl-C ends the load within seconds, the second at once; the summary
 * says which files are in, which are of unknown fate and which were not started; any failure exits non-zero.
 */
class LoadInterruptTest {

    @TempDir
    Path dir;
    HttpServer stub;
    final CountDownLatch received = new CountDownLatch(1);

    @AfterEach
    void stop() {
        if (stub != null) {
            stub.stop(0);
        }
    }

    private String hangingServer() throws Exception {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        stub.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        stub.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.countDown();
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stub.start();
        return "http://127.0.0.1:" + stub.getAddress().getPort();
    }

    private String failingServer() throws Exception {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        stub.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":"
                    + "\"exception\",\"diagnostics\":\"the commit pipeline is down\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stub.start();
        return "http://127.0.0.1:" + stub.getAddress().getPort();
    }

    private Path[] bundles(int n) throws Exception {
        Path[] files = new Path[n];
        for (int i = 0; i < n; i++) {
            files[i] = dir.resolve("patient-" + i + ".json");
            Files.writeString(files[i], "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                    + "{\"resourceType\":\"Patient\",\"id\":\"p" + i + "\"},\"request\":{\"method\":\"PUT\",\"url\":"
                    + "\"Patient/p" + i + "\"}}]}");
        }
        return files;
    }

    private CliProcess load(String server, Path... files) throws Exception {
        String[] args = new String[5 + files.length];
        args[0] = "load";
        args[1] = "--server";
        args[2] = server;
        args[3] = "--threads=1";
        args[4] = "--no-progress";
        for (int i = 0; i < files.length; i++) {
            args[5 + i] = files[i].toString();
        }
        return CliProcess.start(args);
    }

    private static void interrupt(CliProcess cli) throws Exception {
        new ProcessBuilder("kill", "-INT", Long.toString(cli.process.pid())).start().waitFor();
    }

    @Test
    void theFirstCtrlCEndsWithinSecondsAndTheSummaryIsTruthful() throws Exception {
        Path[] files = bundles(3);
        CliProcess cli = load(hangingServer(), files);
        assertTrue(received.await(120, TimeUnit.SECONDS), "the loader never sent: " + cli.err());
        long sent = System.nanoTime();
        interrupt(cli);
        int code = cli.exitCode(30);
        double seconds = (System.nanoTime() - sent) / 1e9;
        String err = cli.err();
        assertEquals(130, code, err);
        assertTrue(seconds < 15, "ended " + seconds + " s after Ctrl-C");
        assertTrue(err.contains("interrupted: 0 of 3 files loaded"), err);
        assertTrue(err.contains("files: 0 loaded, 0 with errors, 0 cut short, 1 unknown, 2 not started"), err);
        assertTrue(err.contains("may have committed"), err);
        assertFalse(err.contains("loaded 1 resources"), err);
    }

    @Test
    void aSecondCtrlCEndsAtOnce() throws Exception {
        CliProcess cli = load(hangingServer(), bundles(2));
        assertTrue(received.await(120, TimeUnit.SECONDS), "the loader never sent: " + cli.err());
        interrupt(cli);
        Thread.sleep(200);
        interrupt(cli);
        assertEquals(130, cli.exitCode(10), cli.err());
        assertTrue(cli.err().contains("stopped at once"), cli.err());
    }

    @Test
    void aFailingServerIsAFailedLoad() throws Exception {
        CliProcess cli = load(failingServer(), bundles(2));
        int code = cli.exitCode(120);
        String err = cli.err();
        assertEquals(1, code, err);
        assertTrue(err.contains("files: 0 loaded, 2 with errors"), err);
        assertTrue(err.contains("HTTP 500: the commit pipeline is down"), err);
        assertTrue(err.contains("loading 2 files"), err);
    }

    @Test
    void oneFileReadsOneFile() throws Exception {
        CliProcess cli = load(failingServer(), bundles(1));
        cli.exitCode(120);
        assertTrue(cli.err().contains("loading 1 file into"), cli.err());
        assertFalse(cli.err().contains("1 files"), cli.err());
    }
}
