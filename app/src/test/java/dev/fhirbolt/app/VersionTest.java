package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The version Maven builds is what {@code --version}, {@code /metadata} and {@code /health} show. */
class VersionTest {

    @Test
    void theBuildVersionIsShownEverywhere() throws Exception {
        String version = BuildVersion.version();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?"), "a Maven version, got " + version);

        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--version"));
        assertTrue(out.toString().startsWith("Fhirbolt " + version + "\n"), out.toString());

        try (TestServer server = TestServer.start()) {
            var metadata = server.get("/metadata", "Accept", "application/fhir+json");
            assertEquals(200, metadata.statusCode());
            var cs = Smart.JSON.readTree(metadata.body());
            assertEquals("Fhirbolt", cs.at("/software/name").asText());
            assertEquals(version, cs.at("/software/version").asText());
            var health = Smart.JSON.readTree(server.get("/health").body());
            assertEquals(version, health.get("version").asText());
            assertEquals("UP", health.get("status").asText());
        }
    }
}
