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

/**
 * {@code fhirbolt client add|list|remove}, {@code fhirbolt token}, {@code fhirbolt user ...} and the token renewal of
 * {@code fhirbolt load --server --client} against a real server with security on.
 */
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

    /** Runs one command in this JVM (other command tests use it too). */
    static Run run(String... args) {
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
    void usersAreAddedListedGivenNewPasswordsLockedAndUnlocked() {
        String[] admin = {"--server", server.base, "--admin-password", PASSWORD};
        Run add = run(cat(new String[] {"user", "add", "dr.cli", "--password", "cli-password-1", "--fhir-user",
                "Practitioner/pr-1", "--name", "Dr CLI"}, admin));
        assertEquals(0, add.code(), add.err());
        assertTrue(add.out().contains("added user 'dr.cli' (Practitioner/pr-1)"), add.out());
        Run list = run(cat(new String[] {"user", "list"}, admin));
        assertTrue(list.out().contains("dr.cli") && list.out().contains("Practitioner/pr-1")
                && list.out().contains("active"), list.out());
        assertEquals(0, run(cat(new String[] {"user", "passwd", "dr.cli", "--password", "cli-password-2"}, admin))
                .code());
        assertEquals(0, run(cat(new String[] {"user", "lock", "dr.cli"}, admin)).code());
        assertTrue(run(cat(new String[] {"user", "list"}, admin)).out().lines()
                .anyMatch(l -> l.startsWith("dr.cli") && l.endsWith("locked")));
        assertEquals(0, run(cat(new String[] {"user", "unlock", "dr.cli"}, admin)).code());
        assertTrue(run(cat(new String[] {"user", "list"}, admin)).out().lines()
                .anyMatch(l -> l.startsWith("dr.cli") && l.endsWith("active")));

        Run ops = run(cat(new String[] {"user", "add", "ops.cli", "--admin", "--password", "cli-password-3",
                "--fhir-user", "Practitioner/pr-2"}, admin));
        assertTrue(ops.out().contains("added user 'ops.cli' (Practitioner/pr-2, admin role)"), ops.out() + ops.err());
        assertTrue(run(cat(new String[] {"user", "list"}, admin)).out().lines()
                .anyMatch(l -> l.startsWith("ops.cli") && l.contains(" admin ")));
        assertTrue(run(cat(new String[] {"user", "list"}, admin)).out().lines()
                .anyMatch(l -> l.startsWith("dr.cli") && l.contains(" - ")), "no role without --admin");

        Run badType = run(cat(new String[] {"user", "add", "dr.two", "--password", "cli-password-1", "--fhir-user",
                "Observation/1"}, admin));
        assertEquals(1, badType.code());
        assertTrue(badType.err().contains("fhirUser must be Patient/id, Practitioner/id"), badType.err());
        Run shortPw = run(cat(new String[] {"user", "passwd", "dr.cli", "--password", "short"}, admin));
        assertTrue(shortPw.err().contains("at least 8 characters"), shortPw.err());
        Run nobody = run(cat(new String[] {"user", "lock", "no-such-user"}, admin));
        assertEquals(1, nobody.code());
        assertTrue(nobody.err().contains("(404): no user no-such-user"), nobody.err());
        Run wrong = run("user", "list", "--server", server.base, "--admin-password", "not-it");
        assertTrue(wrong.err().contains("refused the admin credentials"), wrong.err());
    }

    @Test
    void aLoadGetsItsOwnTokensAndRenewsThemWhenTheyExpireOrAreRefused() throws Exception {
        Path keyFile = dir.resolve("renewing-loader.json");
        assertEquals(0, run("client", "add", "--server", server.base, "--admin-password", PASSWORD, "--id",
                "renewing-loader", "--scope", "system/*.cruds", "--key-file", keyFile.toString()).code());

        java.time.Instant[] now = {java.time.Instant.now()};
        java.time.Clock clock = new java.time.Clock() {
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public java.time.Instant instant() {
                return now[0];
            }
        };
        var tokens = dev.fhirbolt.app.admin.RenewingToken.of(keyFile, null, null, clock);
        String first = tokens.token().value();
        assertEquals(first, tokens.token().value(), "kept while it is good");
        assertEquals(1, tokens.fetched());
        now[0] = now[0].plusSeconds(tokens.token().expires().getEpochSecond() - now[0].getEpochSecond() - 10);
        String second = tokens.token().value();
        assertEquals(2, tokens.fetched(), "renewed shortly before it expires");
        tokens.rejected(second);
        assertEquals(200, server.get("/Patient", "Authorization", "Bearer " + tokens.token().value()).statusCode());
        assertEquals(3, tokens.fetched(), "renewed at once when the server refused it");

        // a refused (here: made-up, as an expired one would be) token is replaced and the bundle sent once more
        String[] sent = {"expired-token"};
        dev.fhirbolt.app.load.LoadCredentials credentials = new dev.fhirbolt.app.load.LoadCredentials() {
            public String token() {
                return sent[0];
            }

            public boolean renewAfter(String refused) {
                sent[0] = tokens.token().value();
                return true;
            }
        };
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Patient\",\"id\":\"renewed-1\"},\"request\":{\"method\":\"PUT\",\"url\":"
                + "\"Patient/renewed-1\"}}]}";
        try (var target = new dev.fhirbolt.app.load.HttpTarget(server.base, credentials)) {
            assertEquals(200, target.postBundle(bundle.getBytes(StandardCharsets.UTF_8)).status());
        }

        Path file = dir.resolve("load-me.json");
        Files.writeString(file, bundle.replace("renewed-1", "renewed-2"));
        Run load = run("load", "--server", server.base, "--key-file", keyFile.toString(), "--no-progress",
                file.toString());
        assertEquals(0, load.code(), load.err());
        String token = run("token", "--key-file", keyFile.toString()).out().trim();
        assertEquals(200, server.get("/Patient/renewed-2", "Authorization", "Bearer " + token).statusCode());
        Run both = run("load", "--server", server.base, "--key-file", keyFile.toString(), "--token", "x",
                file.toString());
        assertEquals(1, both.code());
        assertTrue(both.err().contains("either --token or --client"), both.err());
    }

    private static String[] cat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
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
        assertTrue(refused.err().contains("refused the admin credentials"), refused.err());
        Run installed = run("package", "install", tiny.toString(), "--server", server.base, "--admin-password",
                PASSWORD);
        assertEquals(0, installed.code(), installed.err());
        Run list = run("package", "list", "--server", server.base, "--admin-password", PASSWORD);
        assertTrue(list.out().contains("example.fhir.tiny#1.0.0"), list.out());
    }
}
