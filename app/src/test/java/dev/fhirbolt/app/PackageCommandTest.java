package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fhirbolt package install|list}, offline into a data directory and online into a running server. */
class PackageCommandTest {

    @TempDir
    Path dir;

    private static AdminCommandsTest.Run run(String... args) {
        return AdminCommandsTest.run(args);
    }

    @Test
    void offlineInstallThenTheServerHasTheResources() throws Exception {
        Path tiny = Files.write(dir.resolve("tiny.tgz"), FixturePackages.tiny());
        Path child = Files.write(dir.resolve("child.tgz"), FixturePackages.dependent("example.fhir.child",
                FixturePackages.TINY, "1.0.0"));
        Path data = dir.resolve("data");

        AdminCommandsTest.Run early = run("package", "install", child.toString(), "--data-dir", data.toString());
        assertEquals(1, early.code(), early.out());
        assertTrue(early.err().contains("example.fhir.tiny#1.0.0") && early.err().contains("not installed"),
                early.err());

        AdminCommandsTest.Run install = run("package", "install", tiny.toString(), "--data-dir", data.toString());
        assertEquals(0, install.code(), install.err());
        assertTrue(install.out().contains("installed example.fhir.tiny#1.0.0"), install.out());
        assertEquals(0, run("package", "install", child.toString(), "--data-dir", data.toString()).code());

        AdminCommandsTest.Run list = run("package", "list", "--data-dir", data.toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().contains("example.fhir.tiny#1.0.0 (4 resources)")
                && list.out().contains("example.fhir.child#0.1.0"), list.out());

        try (TestServer server = TestServer.start(data, Map.of())) {
            assertEquals(200, server.get("/StructureDefinition/tiny-patient").statusCode());
            assertTrue(server.get("/metadata").body().contains(FixturePackages.PROFILE));
        }
    }

    @Test
    void onlineInstallAndListThroughTheServer() throws Exception {
        Path tiny = Files.write(dir.resolve("tiny.tgz"), FixturePackages.tiny());
        try (TestServer server = TestServer.start(dir.resolve("online"), Map.of())) {
            AdminCommandsTest.Run install = run("package", "install", tiny.toString(), "--server", server.base);
            assertEquals(0, install.code(), install.err());
            assertTrue(install.out().contains("\"StructureDefinition\":1"), install.out());
            AdminCommandsTest.Run list = run("package", "list", "--server", server.base);
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().contains("example.fhir.tiny#1.0.0"), list.out());
            AdminCommandsTest.Run bad = run("package", "install", dir.resolve("missing.tgz").toString(), "--server",
                    server.base);
            assertEquals(1, bad.code());
            assertTrue(bad.err().contains("cannot read"), bad.err());
        }
    }
}
