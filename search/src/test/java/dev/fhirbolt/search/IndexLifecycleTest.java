package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void updatesAndDeletesRemoveEveryEntryThePreviousVersionWrote() {
        SearchParameterRegistry registry = new SearchParameterRegistry();
        registry.register(nickname());
        try (SearchFixture db = new SearchFixture(dir, registry)) {
            db.create("{\"resourceType\":\"Patient\",\"id\":\"p\",\"name\":[{\"use\":\"nickname\","
                    + "\"given\":[\"Bo\"]}],\"birthDate\":\"1970-02-03\",\"gender\":\"male\"}");
            String observation = "{\"resourceType\":\"Observation\",\"id\":\"o\",\"status\":\"final\","
                    + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"%s\"}]},"
                    + "\"subject\":{\"reference\":\"Patient/%s\"},\"encounter\":{\"reference\":\"Encounter/e\"},"
                    + "\"valueQuantity\":{\"value\":%s,\"unit\":\"kg\",\"system\":\"http://unitsofmeasure.org\","
                    + "\"code\":\"kg\"},\"effectiveDateTime\":\"2020-01-0%sT10:00:00Z\"}";
            db.create(String.format(observation, "29463-7", "p", "70.5", "1"));
            assertEquals(List.of("o"), db.ids("Observation", "subject", "Patient/p"));
            assertEquals(List.of("o"), db.ids("Observation", "patient", "p", "code", "29463-7"));
            // the parameter a version was indexed with is gone by the time of the next version
            registry.unregister("nickname");
            db.update(ResourceReader.read(String.format(observation, "8302-2", "q", "180", "2")
                    .getBytes(StandardCharsets.UTF_8), FhirFormat.JSON));
            db.update(ResourceReader.read(("{\"resourceType\":\"Patient\",\"id\":\"p\",\"gender\":\"female\"}")
                    .getBytes(StandardCharsets.UTF_8), FhirFormat.JSON));
            assertEquals(List.of(), db.ids("Observation", "subject", "Patient/p"));
            assertEquals(List.of("o"), db.ids("Observation", "_sort", "date", "subject", "Patient/q"));
            db.delete("Observation", "o");
            db.delete("Patient", "p");
            for (var keyspace : List.of(SearchKeyspaces.VALUE, SearchKeyspaces.RESOURCE, SearchKeyspaces.COMPARTMENT,
                    SearchKeyspaces.SORT, SearchKeyspaces.PATIENT)) {
                try (var snapshot = db.kv.snapshot(); var cursor = snapshot.cursor(keyspace)) {
                    cursor.seekToFirst();
                    assertFalse(cursor.isValid(), keyspace.name() + " keeps an entry of a deleted resource");
                }
            }
        }
    }

    private static SearchParameter nickname() {
        return (SearchParameter) ResourceReader.read(("{\"resourceType\":\"SearchParameter\","
                + "\"id\":\"nickname\",\"url\":\"http://example.org/SearchParameter/nickname\",\"name\":\"nickname\","
                + "\"status\":\"active\",\"description\":\"Nickname\",\"code\":\"nickname\",\"base\":[\"Patient\"],"
                + "\"type\":\"string\",\"expression\":\"Patient.name.where(use='nickname').given\"}")
                .getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
    }

    @Test
    void customSearchParameterIsIndexedAndOffered() {
        SearchParameterRegistry registry = new SearchParameterRegistry();
        registry.register(nickname());
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
