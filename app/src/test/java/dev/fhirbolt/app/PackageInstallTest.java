package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FHIR packages installed over HTTP ({@code /admin/packages}): the resources are stored, the search parameter is
 * searchable over data written before, the profile is used by {@code $validate} and listed in the CapabilityStatement,
 * dependencies are checked.
 */
class PackageInstallTest {

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        HttpResponse<String> before = server.send("PUT", "/Patient/married", "{\"resourceType\":\"Patient\","
                + "\"id\":\"married\",\"maritalStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus\",\"code\":\"M\"}]}}");
        assertEquals(201, before.statusCode(), before.body());
        HttpResponse<String> r = post(server, FixturePackages.tiny());
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"StructureDefinition\":1") && r.body().contains("\"SearchParameter\":1"),
                r.body());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(TestServer server, byte[] body) throws Exception {
        return server.http.send(HttpRequest.newBuilder(URI.create(server.base + "/admin/packages"))
                .header("Content-Type", "application/gzip").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void installedResourcesAreStoredAndThePackageIsListed() throws Exception {
        assertEquals(200, server.get("/StructureDefinition/tiny-patient").statusCode());
        assertEquals(200, server.get("/CodeSystem/tiny-colours").statusCode());
        assertEquals(404, server.get("/Patient/example").statusCode(), "examples are not installed");
        HttpResponse<String> list = server.get("/admin/packages");
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("\"name\":\"example.fhir.tiny\",\"version\":\"1.0.0\""), list.body());
        HttpResponse<String> record = server.get("/ImplementationGuide/package-example.fhir.tiny");
        assertEquals(200, record.statusCode(), record.body());
    }

    @Test
    void installedSearchParameterFindsDataWrittenBefore() throws Exception {
        long until = System.nanoTime() + 30_000_000_000L;
        String body = "";
        while (System.nanoTime() < until) {
            HttpResponse<String> r = server.get("/Patient?marital=M");
            assertEquals(200, r.statusCode(), r.body());
            body = r.body();
            if (body.contains("\"id\":\"married\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the reindex did not make Patient/married findable: " + body);
    }

    @Test
    void validateUsesTheInstalledProfile() throws Exception {
        String patient = "{\"resourceType\":\"Patient\",\"gender\":\"female\"}";
        HttpResponse<String> r = server.send("POST", "/Patient/$validate?profile=" + FixturePackages.PROFILE,
                patient);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("Patient.birthDate") && r.body().contains("\"severity\":\"error\""), r.body());
        HttpResponse<String> ok = server.send("POST", "/Patient/$validate?profile=" + FixturePackages.PROFILE,
                "{\"resourceType\":\"Patient\",\"birthDate\":\"1990-01-01\"}");
        assertTrue(!ok.body().contains("\"severity\":\"error\""), ok.body());
    }

    @Test
    void capabilityStatementListsTheProfileAndTheSearchParameter() throws Exception {
        HttpResponse<String> r = server.get("/metadata");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"supportedProfile\":[\"" + FixturePackages.PROFILE + "\"]"), r.body());
        assertTrue(r.body().contains("\"name\":\"marital\""), r.body());
    }

    @Test
    void dependenciesResolveFromInstalledPackagesAndAMissingOneIsNamed() throws Exception {
        HttpResponse<String> missing = post(server, FixturePackages.dependent("example.fhir.orphan",
                "example.fhir.absent", "2.0.0"));
        assertEquals(409, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("example.fhir.absent#2.0.0"), missing.body());
        HttpResponse<String> wrongVersion = post(server, FixturePackages.dependent("example.fhir.picky",
                FixturePackages.TINY, "9.9.9"));
        assertEquals(409, wrongVersion.statusCode(), wrongVersion.body());
        HttpResponse<String> ok = post(server, FixturePackages.dependent("example.fhir.child", FixturePackages.TINY,
                "1.0.0"));
        assertEquals(201, ok.statusCode(), ok.body());
    }

    @Test
    void badBodiesAreRefusedWithAnOperationOutcome() throws Exception {
        HttpResponse<String> garbage = post(server, "not a tgz".getBytes());
        assertEquals(400, garbage.statusCode(), garbage.body());
        assertTrue(garbage.body().contains("OperationOutcome") && garbage.body().contains("gzip"), garbage.body());
        HttpResponse<String> noManifest = post(server, FixturePackages.tgz(Map.of("package/x.json", "{}")));
        assertEquals(400, noManifest.statusCode(), noManifest.body());
        assertTrue(noManifest.body().contains("package.json"), noManifest.body());
        HttpResponse<String> put = server.send("PUT", "/admin/packages", "{}");
        assertEquals(405, put.statusCode(), put.body());
    }

    @Test
    void enforcedProfileRefusesWritesThatDoNotConform() throws Exception {
        try (TestServer enforcing = TestServer.start(Files.createTempDirectory("fhirbolt-ig"),
                Map.of("validation-profile.Patient", FixturePackages.PROFILE))) {
            assertEquals(201, post(enforcing, FixturePackages.tiny()).statusCode());
            HttpResponse<String> refused = enforcing.send("POST", "/Patient",
                    "{\"resourceType\":\"Patient\",\"gender\":\"male\"}");
            assertEquals(422, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("birthDate"), refused.body());
            HttpResponse<String> accepted = enforcing.send("POST", "/Patient",
                    "{\"resourceType\":\"Patient\",\"birthDate\":\"2001-02-03\"}");
            assertEquals(201, accepted.statusCode(), accepted.body());
        }
    }
}
