package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A start that cannot succeed says why in words, exits non-zero and leaves no half-made data directory. */
class StartupFailureTest {

    private static ServerConfig config(Path dataDir, Map<String, String> more) {
        Map<String, String> flags = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0",
                "data-dir", dataDir.toString(), "security", "off", "audit", "off"));
        flags.putAll(more);
        return ConfigLoader.load(Optional.empty(), Map.of(), flags);
    }

    @Test
    void aPortInUseIsNamedAndTheCommandExitsNonZeroLeavingNoDataDirectory() throws Exception {
        Path dataDir = Files.createTempDirectory("fhirbolt-start").resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = Integer.toString(taken.getLocalPort());
            var e = assertThrows(StartupChecks.StartupException.class,
                    () -> FhirboltServer.start(config(dataDir, Map.of("port", port))));
            assertTrue(e.getMessage().contains("port " + port + " is already in use"), e.getMessage());
            assertFalse(Files.exists(dataDir), "no data directory is left behind");

            CliProcess cli = CliProcess.start("serve", "--host", "127.0.0.1", "--port", port, "--data-dir",
                    dataDir.toString(), "--security", "off");
            int code = cli.exitCode(120);
            assertTrue(code != 0, "exit code " + code);
            assertTrue(cli.err().contains("port " + port + " is already in use"), cli.err());
            assertFalse(cli.err().contains("\tat "), "no stack trace: " + cli.err());
            assertFalse(Files.exists(dataDir), "no data directory is left behind");
        }
    }

    @Test
    void aWrongKeystorePasswordIsNamedLeavingNoDataDirectory() throws Exception {
        Path dir = Files.createTempDirectory("fhirbolt-start");
        Path keystore = dir.resolve("server.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, "right-password".toCharArray());
        }
        Path dataDir = dir.resolve("data");
        var e = assertThrows(ConfigLoader.ConfigException.class, () -> FhirboltServer.start(config(dataDir,
                Map.of("https-port", "0", "keystore", keystore.toString(), "keystore-password", "wrong"))));
        assertTrue(e.getMessage().contains("password is wrong"), e.getMessage());
        assertFalse(Files.exists(dataDir), "no data directory is left behind");
        var missing = assertThrows(ConfigLoader.ConfigException.class, () -> FhirboltServer.start(config(dataDir,
                Map.of("https-port", "0", "keystore", dir.resolve("nope.p12").toString()))));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertFalse(Files.exists(dataDir), "no data directory is left behind");
    }

    @Test
    void aLockedDataDirectoryTellsTheServerWhatToDoNotHowToLoad() throws Exception {
        Path dataDir = Files.createTempDirectory("fhirbolt-start");
        try (FhirboltServer first = FhirboltServer.start(config(dataDir, Map.of()))) {
            var e = assertThrows(Backend.DataDirLockedException.class,
                    () -> FhirboltServer.start(config(dataDir, Map.of())));
            assertTrue(e.getMessage().contains("in use by a running Fhirbolt server"), e.getMessage());
            assertTrue(e.getMessage().contains("another --data-dir"), e.getMessage());
            assertFalse(e.getMessage().contains("load") || e.getMessage().contains("--server"), e.getMessage());
            assertTrue(Files.exists(dataDir), "an existing data directory is never removed");
            assertEquals(200, java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + first.port() + "/metadata")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode(), "the first server runs on");
        }
    }
}
