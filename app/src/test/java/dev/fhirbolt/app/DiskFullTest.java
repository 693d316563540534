package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A full disk, for real: the data directory on a small tmpfs, filled up by a file. Writes answer 507 with an
 * OperationOutcome, /health answers 503 DEGRADED naming the disk, reads go on, and once the file is deleted writes
 * and /health recover within seconds. Needs to mount a file system (root); skipped, saying so, where the OS refuses.
 */
class DiskFullTest {

    private static final String PATIENT = "{\"resourceType\":\"Patient\",\"active\":true}";

    Path mount;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = Files.createTempDirectory("fhirbolt-small-disk");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=160m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        boolean mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "skipped: cannot mount a small tmpfs to fill up (needs root): " + output);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(mount);
        }
    }

    @Test
    void writesAnswer507WhileTheDiskIsFullAndResumeOnceSpaceIsFreed() throws Exception {
        try (TestServer server = TestServer.start(mount.resolve("data"), Map.of("min-free-disk-mb", "16"))) {
            assertEquals(201, server.send("POST", "/Patient", PATIENT).statusCode());
            Path filler = mount.resolve("filler");
            fill(filler, Files.getFileStore(mount), 8L << 20); // leaves 8 MB: below the 16 MB kept free

            HttpResponse<String> refused = server.send("POST", "/Patient", PATIENT);
            assertEquals(507, refused.statusCode(), refused.body());
            JsonNode outcome = SyntheaLoadTest.MAPPER.readTree(refused.body());
            assertEquals("OperationOutcome", outcome.path("resourceType").asText());
            assertTrue(refused.body().contains("disk"), refused.body());
            HttpResponse<String> health = server.get("/health");
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"DEGRADED\"") && health.body().contains("disk"), health.body());
            assertEquals(200, server.get("/Patient").statusCode(), "reads go on");

            Files.delete(filler);
            long freed = System.nanoTime();
            int status = server.send("POST", "/Patient", PATIENT).statusCode();
            assertEquals(201, status, "the first write after space was freed");
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - freed) < 5);
            assertEquals(200, server.get("/health").statusCode());
        }
    }

    @Test
    void healthRecoversWithoutAnyWriteOnceSpaceIsFreed() throws Exception {
        try (TestServer server = TestServer.start(mount.resolve("data"), Map.of("min-free-disk-mb", "16"))) {
            Path filler = mount.resolve("filler");
            fill(filler, Files.getFileStore(mount), 8L << 20);
            assertEquals(507, server.send("POST", "/Patient", PATIENT).statusCode());
            assertEquals(503, server.get("/health").statusCode());
            Files.delete(filler);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int status;
            do {
                Thread.sleep(100);
                status = server.get("/health").statusCode();
            } while (status != 200 && System.nanoTime() < deadline);
            assertEquals(200, status, "health UP within 5 s of freeing space");
        }
    }

    /** Writes a file until the file system has about {@code leave} bytes left. */
    private static void fill(Path file, FileStore store, long leave) throws IOException {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (store.getUsableSpace() > leave + chunk.length) {
                out.write(chunk);
                out.flush();
            }
        }
    }
}
