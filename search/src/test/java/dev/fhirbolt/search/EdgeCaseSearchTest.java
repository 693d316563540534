package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fhirbolt.common.FhirException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-made resources probing one rule each: date precision, zones, missing values, escaping, modifiers. */
class EdgeCaseSearchTest {

    @TempDir
    static Path dir;
    static SearchFixture db;

    @BeforeAll
    static void load() {
        db = new SearchFixture(dir);
        db.create("{\"resourceType\":\"Patient\",\"id\":\"p1\",\"meta\":{\"tag\":[{\"system\":\"urn:t\",\"code\":\"a\"}],"
                + "\"profile\":[\"http://example.org/fhir/StructureDefinition/vip\"],\"source\":\"urn:src#1\"},"
                + "\"name\":[{\"family\":\"Müller\",\"given\":[\"Ana\"]}],\"gender\":\"female\","
                + "\"birthDate\":\"1980-03-15\",\"identifier\":[{\"system\":\"urn:mrn\",\"value\":\"a,b|c$d\","
                + "\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v2-0203\","
                + "\"code\":\"MR\"}]}}],\"active\":true}");
        db.create("{\"resourceType\":\"Patient\",\"id\":\"p2\",\"name\":[{\"family\":\"Muller-Smith\"}],"
                + "\"gender\":\"male\",\"birthDate\":\"1980\"}");
        db.create("{\"resourceType\":\"Patient\",\"id\":\"p3\",\"name\":[{\"family\":\"Smith\"}]}");
        db.create("{\"resourceType\":\"Observation\",\"id\":\"o-tz\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"Patient/p1\"},\"effectiveDateTime\":\"2020-01-01T23:30:00-05:00\","
                + "\"valueQuantity\":{\"value\":100}}");
        db.create("{\"resourceType\":\"Observation\",\"id\":\"o-period\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"Patient/p2\"},\"effectivePeriod\":{\"start\":\"2020-01-01\","
                + "\"end\":\"2020-01-10\"},\"valueQuantity\":{\"value\":100.25}}");
        db.create("{\"resourceType\":\"Observation\",\"id\":\"o-open\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"effectivePeriod\":{\"start\":\"2021-05-01T10:00:00Z\"}}");
        db.create("{\"resourceType\":\"RiskAssessment\",\"id\":\"r1\",\"status\":\"final\","
                + "\"subject\":{\"reference\":\"Patient/p1\"},\"prediction\":[{\"probabilityDecimal\":0.8}]}");
        db.create("{\"resourceType\":\"RiskAssessment\",\"id\":\"r2\",\"status\":\"final\","
                + "\"subject\":{\"reference\":\"Patient/p1\"},\"prediction\":[{\"probabilityDecimal\":0.84}]}");
        db.create("{\"resourceType\":\"ValueSet\",\"id\":\"vs1\",\"status\":\"active\","
                + "\"url\":\"http://example.org/fhir/ValueSet/a/b\"}");
        db.create("{\"resourceType\":\"Location\",\"id\":\"boston\",\"position\":{\"latitude\":42.3601,"
                + "\"longitude\":-71.0589}}");
        db.create("{\"resourceType\":\"Location\",\"id\":\"nyc\",\"position\":{\"latitude\":40.7128,"
                + "\"longitude\":-74.0060}}");
        db.create("{\"resourceType\":\"Observation\",\"id\":\"o-bp\",\"status\":\"final\",\"code\":{\"text\":\"bp\"},"
                + "\"component\":[{\"code\":{\"text\":\"systolic\"},\"valueQuantity\":{\"value\":128,"
                + "\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}},{\"code\":{\"text\":\"diastolic\"},"
                + "\"valueQuantity\":{\"value\":82,\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}}]}");
        db.create("{\"resourceType\":\"List\",\"id\":\"l1\",\"status\":\"current\",\"mode\":\"working\","
                + "\"entry\":[{\"item\":{\"reference\":\"Patient/p3\"}},{\"item\":{\"reference\":\"Patient/p1\"}}]}");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void everyComponentQuantityOfAnObservationIsSearchable() {
        // a blood pressure: two quantities under one union path, which HAPI's engine cannot compare without UCUM
        assertEquals(List.of("o-bp"), db.ids("Observation", "component-value-quantity", "gt120"));
        assertEquals(List.of("o-bp"), db.ids("Observation", "component-value-quantity", "82||mm[Hg]"));
        assertEquals(List.of("o-bp"), db.ids("Observation", "combo-value-quantity", "lt90"));
    }

    @Test
    void partialDatesAreRanges() {
        assertEquals(List.of("p1", "p2"), db.ids("Patient", "birthdate", "1980"));
        assertEquals(List.of("p1"), db.ids("Patient", "birthdate", "1980-03"));
        assertEquals(List.of("p1"), db.ids("Patient", "birthdate", "eq1980-03-15"));
        assertEquals(List.of("p2"), db.ids("Patient", "birthdate", "ne1980-03-15"));
        assertEquals(List.of("p2"), db.ids("Patient", "birthdate", "lt1980-03-15"));
        assertEquals(List.of("p1", "p2"), db.ids("Patient", "birthdate", "le1980-03-15"));
        assertEquals(List.of("p2"), db.ids("Patient", "birthdate", "gt1980-03-15"));
        assertEquals(List.of(), db.ids("Patient", "birthdate", "sa1980-03-15"));
        assertEquals(List.of("p1", "p2"), db.ids("Patient", "birthdate", "ap1980-03-15"));
    }

    @Test
    void timeZonesAreHonoured() {
        // 23:30 at -05:00 is 04:30 UTC on January 2nd
        assertEquals(List.of("o-tz"), db.ids("Observation", "date", "2020-01-02T04:30:00Z"));
        assertEquals(List.of(), db.ids("Observation", "date", "eq2020-01-01T23:30:00Z"));
        assertEquals(List.of("o-tz"), db.ids("Observation", "date", "2020-01-01T23:30:00-05:00"));
        assertEquals(List.of("o-period", "o-tz"), db.ids("Observation", "date", "gt2020-01-02T04:00:00+00:00",
                "date", "lt2020-01-03"));
        assertEquals(List.of("o-tz"), db.ids("Observation", "date", "gt2020-01-02T04:00:00+00:00", "date",
                "lt2020-01-03", "date", "sa2020-01-01"));
    }

    @Test
    void periodsAndOpenPeriods() {
        assertEquals(List.of("o-period", "o-tz"), db.ids("Observation", "date", "eb2020-01-11"));
        assertEquals(List.of("o-tz"), db.ids("Observation", "date", "eb2020-01-03"));
        assertEquals(List.of("o-open", "o-period"), db.ids("Observation", "date", "ge2020-01-05"));
        assertEquals(List.of("o-open"), db.ids("Observation", "date", "gt2030"));
        assertEquals(List.of("o-period", "o-tz"), db.ids("Observation", "date", "2020-01"));
    }

    @Test
    void missingValues() {
        assertEquals(List.of("p3"), db.ids("Patient", "gender:missing", "true"));
        assertEquals(List.of("p1", "p2"), db.ids("Patient", "gender:missing", "false"));
        assertEquals(List.of("o-bp", "o-open"), db.ids("Observation", "subject:missing", "true"));
    }

    @Test
    void escapedSeparatorsInValues() {
        assertEquals(List.of("p1"), db.ids("Patient", "identifier", "urn:mrn|a\\,b\\|c\\$d"));
        assertEquals(List.of("p1"), db.ids("Patient", "identifier", "a\\,b\\|c\\$d"));
        assertEquals(List.of(), db.ids("Patient", "identifier", "a,b"));
    }

    @Test
    void stringModifiersAndAccents() {
        assertEquals(List.of("p1", "p2"), db.ids("Patient", "family", "muller"));
        assertEquals(List.of("p1"), db.ids("Patient", "family:exact", "Müller"));
        assertEquals(List.of(), db.ids("Patient", "family:exact", "muller"));
        assertEquals(List.of("p2", "p3"), db.ids("Patient", "family:contains", "smi"));
        assertEquals(List.of("p1", "p3"), db.ids("Patient", "name", "ana,smith"));
    }

    @Test
    void tokenModifiers() {
        assertEquals(List.of("p2", "p3"), db.ids("Patient", "gender:not", "female"));
        assertEquals(List.of("p1"), db.ids("Patient", "identifier:of-type",
                "http://terminology.hl7.org/CodeSystem/v2-0203|MR|a,b|c$d".replace(",", "\\,").replace("$", "\\$")
                        .replace("b|c", "b\\|c")));
        assertEquals(List.of("p1"), db.ids("Patient", "active", "true"));
        assertEquals(List.of("p1"), db.ids("Patient", "gender", "http://hl7.org/fhir/administrative-gender|female"));
    }

    @Test
    void referenceForms() {
        assertEquals(List.of("o-tz"), db.ids("Observation", "subject", "Patient/p1"));
        assertEquals(List.of("o-tz"), db.ids("Observation", "patient", "p1"));
        assertEquals(List.of("o-tz"), db.ids("Observation", "subject:Patient", "p1"));
        assertEquals(List.of("o-tz"), db.ids("Observation", "subject", "http://other.example/fhir/Patient/p1"));
    }

    @Test
    void numberImpliedPrecision() {
        assertEquals(List.of("r1"), db.ids("RiskAssessment", "probability", "0.80"));
        assertEquals(List.of("r1", "r2"), db.ids("RiskAssessment", "probability", "0.8"));
        assertEquals(List.of("r1", "r2"), db.ids("RiskAssessment", "probability", "8e-1"));
        assertEquals(List.of("r2"), db.ids("RiskAssessment", "probability", "gt0.8"));
        assertEquals(List.of("o-period", "o-tz"), db.ids("Observation", "value-quantity", "100"));
        assertEquals(List.of("o-tz"), db.ids("Observation", "value-quantity", "100.0"));
        assertEquals(List.of("o-period", "o-tz"), db.ids("Observation", "value-quantity", "1e2"));
    }

    @Test
    void uriAboveAndBelow() {
        assertEquals(List.of("vs1"), db.ids("ValueSet", "url", "http://example.org/fhir/ValueSet/a/b"));
        assertEquals(List.of("vs1"), db.ids("ValueSet", "url:below", "http://example.org/fhir/ValueSet"));
        assertEquals(List.of("vs1"), db.ids("ValueSet", "url:above", "http://example.org/fhir/ValueSet/a/b/c"));
        assertEquals(List.of(), db.ids("ValueSet", "url", "http://example.org/fhir/ValueSet"));
    }

    @Test
    void near() {
        assertEquals(List.of("boston"), db.ids("Location", "near", "42.36|-71.06|10|km"));
        assertEquals(List.of("boston", "nyc"), db.ids("Location", "near", "42.36|-71.06|400|km"));
    }

    @Test
    void metaParameters() {
        assertEquals(List.of("p1"), db.ids("Patient", "_tag", "urn:t|a"));
        assertEquals(List.of("p1"), db.ids("Patient", "_profile", "http://example.org/fhir/StructureDefinition/vip"));
        assertEquals(List.of("p1"), db.ids("Patient", "_source", "urn:src#1"));
        assertEquals(List.of("p1", "p3"), db.ids("Patient", "_list", "l1"));
        assertEquals(List.of("p1", "p2", "p3"), db.ids("Patient", "_lastUpdated", "gt2000-01-01"));
        assertEquals(List.of("p2", "p3"), db.ids("Patient", "_id", "p2,p3"));
    }

    @Test
    void unknownParametersAreReported() {
        SearchResult r = db.search("Patient", "family", "smith", "nonsense", "1");
        assertEquals(List.of("nonsense"), r.unknownParameters());
        assertEquals(List.of("p3"), r.matches().stream().map(v -> v.id()).toList());
        assertEquals(List.of("family"), List.copyOf(r.selfParameters().keySet()));
        assertThrows(FhirException.class, () -> db.search("Patient", "birthdate", "notadate"));
        assertThrows(FhirException.class,
                () -> db.engine.matchIds("Patient", SearchRequest.params("nonsense", "1"), 2));
    }

    @Test
    void sortsOnSeveralCodesOrUrisTakeTheLowestAscendingAndTheHighestDescending(@TempDir Path own) {
        try (SearchFixture obs = new SearchFixture(own)) {
            String[][] data = {{"m1", "b,e", "http://b"}, {"m2", "c", "http://a,http://c"}, {"m3", "a,d", ""},
                {"m4", "", ""}, {"m5", "c", ""}, {"m6", "b", ""}};
            for (String[] o : data) {
                StringBuilder codings = new StringBuilder();
                for (String c : o[1].isEmpty() ? new String[0] : o[1].split(",")) {
                    codings.append(codings.isEmpty() ? "" : ",").append("{\"system\":\"urn:s\",\"code\":\"")
                            .append(c).append("\"}");
                }
                String profiles = o[2].isEmpty() ? "" : ",\"meta\":{\"profile\":[\"" + o[2].replace(",", "\",\"")
                        + "\"]}";
                obs.create("{\"resourceType\":\"Observation\",\"id\":\"" + o[0] + "\",\"status\":\"final\""
                        + profiles + ",\"code\":{\"coding\":[" + codings + "],\"text\":\"t\"}}");
            }
            assertEquals(List.of("m3", "m1", "m6", "m2", "m5", "m4"), walk(obs, "code"));
            assertEquals(List.of("m1", "m3", "m2", "m5", "m6", "m4"), walk(obs, "-code"));
            assertEquals(List.of("m2", "m1", "m3", "m4", "m5", "m6"), walk(obs, "_profile"));
            assertEquals(List.of("m2", "m1", "m3", "m4", "m5", "m6"), walk(obs, "-_profile"));
        }
    }

    /** The ids of every page of a sorted search two at a time, checked against the walk back from the last page. */
    private static List<String> walk(SearchFixture obs, String sort) {
        List<String> ids = new java.util.ArrayList<>();
        SearchResult page = obs.search("Observation", "_sort", sort, "_count", "2");
        while (true) {
            page.matches().forEach(m -> ids.add(m.id()));
            if (page.next().isEmpty()) {
                break;
            }
            page = obs.search("Observation", "_sort", sort, "_count", "2", "_cursor", page.next().get());
        }
        List<String> back = new java.util.ArrayList<>(page.matches().stream().map(m -> m.id()).toList().reversed());
        while (page.previous().isPresent()) {
            page = obs.search("Observation", "_sort", sort, "_count", "2", "_cursor", page.previous().get());
            back.addAll(page.matches().stream().map(m -> m.id()).toList().reversed());
        }
        assertEquals(ids.reversed(), back, "backward _sort=" + sort);
        return ids;
    }

    @Test
    void sortWithMissingValuesLast() {
        assertEquals(List.of("p1", "p2", "p3"), db.ids("Patient", "_sort", "gender"));
        assertEquals(List.of("p2", "p1", "p3"), db.ids("Patient", "_sort", "-gender"));
        assertEquals(List.of("p2", "p1", "p3"), db.ids("Patient", "_sort", "birthdate,-_id"));
    }
}
