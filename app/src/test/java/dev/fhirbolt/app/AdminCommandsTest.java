package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code fhirbolt client add|list|remove} and {@code fhirbolt token} against a real server with security on. */
class AdminCommandsTest {

    private static final String PASSWORD = "admin-commands-test-pw";
    private static TestServer server;
    private static Path dir;

    /** What one command printed and returned. */
    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("fhirbolt-admin-cmd");
        server = TestServer.start(dir.resolve("data"), Map.of("security", "smart", "admin-password", PASSWORD));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Run run(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void aClientAddedFromTheTerminalGetsWorkingTokensUntilItIsRemoved() throws Exception {
        Path keyFile = dir.resolve("loader.json");
        Run add = run("client", "add", "--server", server.base, "--admin-password", PASSWORD, "--id", "loader",
                "--scope", "system/*.cruds", "--key-file", keyFile.toString());
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().contains("registered backend-services client 'loader'"), add.out());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));

        Run token = run("token", "--key-file", keyFile.toString(), "--scope", "system/Patient.rs");
        assertEquals(0, token.code(), token.err());
        String accessToken = token.out().trim();
        assertEquals(200, server.get("/Patient", "Authorization", "Bearer " + accessToken).statusCode());
        assertEquals(403, server.get("/Observation", "Authorization", "Bearer " + accessToken).statusCode(),
                "the token carries the scope asked for");

        Run list = run("client", "list", "--server", server.base, "--admin-password", PASSWORD);
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("loader") && list.out().contains("backend-service"), list.out());

        Run again = run("client", "add", "--server", server.base, "--admin-password", PASSWORD, "--id", "loader2",
                "--key-file", keyFile.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("exists already"), again.err());

        assertEquals(0, run("client", "remove", "--server", server.base, "--admin-password", PASSWORD, "loader")
                .code());
        Run refused = run("token", "--key-file", keyFile.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().startsWith("fhirbolt: the server refused (401): "), refused.err());
    }

    @Test
    void mistakesAreToldInOneLine() {
        Run wrong = run("client", "list", "--server", server.base, "--admin-password", "not-it");
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains("refused the admin credentials"), wrong.err());
        Run none = run("client", "list", "--server", server.base, "--admin-password", "");
        assertTrue(none.err().contains("FHIRBOLT_ADMIN_PASSWORD"), none.err());
        Run down = run("client", "list", "--server", "http://127.0.0.1:1", "--admin-password", PASSWORD);
        assertTrue(down.err().contains("cannot reach the server at http://127.0.0.1:1"), down.err());
        Run missing = run("token", "--client", "no-such-client-here");
        assertTrue(missing.err().contains("no key file at") && missing.err().contains("fhirbolt client add"),
                missing.err());
        Run nobody = run("token");
        assertTrue(nobody.err().contains("--client <id> or --key-file <file>"), nobody.err());
    }

    @Test
    void packageInstallNeedsTheAdminCredentialsWhenSecurityIsOn() throws Exception {
        Path tiny = Files.write(dir.resolve("tiny.tgz"), FixturePackages.tiny());
        HttpResponse<String> anonymous = server.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.base + "/admin/packages")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        Run refused = run("package", "install", tiny.toString(), "--server", server.base, "--admin-password", "wrong");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("admin password"), refused.err());
        Run installed = run("package", "install", tiny.toString(), "--server", server.base, "--admin-password",
                PASSWORD);
        assertEquals(0, installed.code(), installed.err());
        Run list = run("package", "list", "--server", server.base, "--admin-password", PASSWORD);
        assertTrue(list.out().contains("example.fhir.tiny#1.0.0"), list.out());
    }
}
