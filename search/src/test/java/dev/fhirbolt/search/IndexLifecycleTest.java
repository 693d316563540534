package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Index entries follow the resource: updates replace them, deletes remove them; custom parameters index too. */
class IndexLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void updateAndDeleteLeaveNoStaleEntries() {
        try (SearchFixture db = new SearchFixture(dir)) {
            db.create("{\"resourceType\":\"Patient\",\"id\":\"a\",\"name\":[{\"family\":\"Old\"}]}");
            assertEquals(List.of("a"), db.ids("Patient", "family", "old"));
            db.update((Patient) ResourceReader.read(
                    "{\"resourceType\":\"Patient\",\"id\":\"a\",\"name\":[{\"family\":\"New\"}]}"
                            .getBytes(StandardCharsets.UTF_8), FhirFormat.JSON));
            assertEquals(List.of(), db.ids("Patient", "family", "old"));
            assertEquals(List.of("a"), db.ids("Patient", "family", "new"));
            db.delete("Patient", "a");
            assertEquals(List.of(), db.ids("Patient", "family", "new"));
            assertEquals(List.of(), db.ids("Patient"));
        }
    }

    @Test
    void customSearchParameterIsIndexedAndOffered() {
        SearchParameterRegistry registry = new SearchParameterRegistry();
        SearchParameter sp = (SearchParameter) ResourceReader.read(("{\"resourceType\":\"SearchParameter\","
                + "\"id\":\"nickname\",\"url\":\"http://example.org/SearchParameter/nickname\",\"name\":\"nickname\","
                + "\"status\":\"active\",\"description\":\"Nickname\",\"code\":\"nickname\",\"base\":[\"Patient\"],"
                + "\"type\":\"string\",\"expression\":\"Patient.name.where(use='nickname').given\"}")
                .getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
        registry.register(sp);
        assertTrue(registry.supported("Patient").stream().anyMatch(p -> p.name().equals("nickname")
                && p.type().equals("string") && p.definition().equals("http://example.org/SearchParameter/nickname")));
        try (SearchFixture db = new SearchFixture(dir, registry)) {
            db.create("{\"resourceType\":\"Patient\",\"id\":\"b\",\"name\":[{\"use\":\"nickname\",\"given\":[\"Bo\"]},"
                    + "{\"use\":\"official\",\"given\":[\"Robert\"]}]}");
            assertEquals(List.of("b"), db.ids("Patient", "nickname", "bo"));
            assertEquals(List.of(), db.ids("Patient", "nickname", "robert"));
            registry.unregister("nickname");
            assertEquals(List.of("nickname"), db.search("Patient", "nickname", "bo").unknownParameters());
        }
    }
}
