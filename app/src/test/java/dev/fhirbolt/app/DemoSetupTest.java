package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A server holds demo users and Patients only when asked: `--demo` (or demo-setup=true), never by default. What the
 * demo set-up creates is tested where it is used (SmartEnforcementTest, ExpiredTokenTest).
 */
class DemoSetupTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private static ServerConfig config(Map<String, String> more) throws Exception {
        Map<String, String> flags = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0", "data-dir",
                Files.createTempDirectory("fhirbolt-demo").toString(), "security", "off", "audit", "off",
                "admin-password", "admin-secret-3"));
        flags.putAll(more);
        return ConfigLoader.load(Optional.empty(), Map.of(), flags);
    }

    private String get(FhirboltServer server, String path, boolean admin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (admin) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    "admin:admin-secret-3".getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    @Test
    void aNewDataDirectoryHoldsNothingMadeUpByDefault() throws Exception {
        try (FhirboltServer server = FhirboltServer.start(config(Map.of()))) {
            assertTrue(get(server, "/Patient?_total=accurate", false).contains("\"total\":0"));
            assertTrue(get(server, "/Practitioner?_total=accurate", false).contains("\"total\":0"));
            String users = get(server, "/auth/admin/users", true);
            assertFalse(users.contains("patient1") || users.contains("practitioner"), users);
            assertFalse(get(server, "/auth/admin/clients", true).contains("demo-app"));
        }
    }

    @Test
    void theDemoIsAnExplicitChoice() {
        assertNull(serve().flags().get("demo-setup"), "no flag, no demo");
        assertEquals("true", serve("--demo").flags().get("demo-setup"));
        assertEquals("true", serve("--demo-setup", "true").flags().get("demo-setup"));
    }

    private static Main.Serve serve(String... args) {
        Main.Serve serve = new Main.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve;
    }
}
