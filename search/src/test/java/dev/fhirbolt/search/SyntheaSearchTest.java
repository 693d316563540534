package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.database.ResourceVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Searches over a trimmed Synthea patient (82 resources), each with its exact expected result. */
class SyntheaSearchTest {

    static final String PATIENT = "7353e17f-0cd5-5b0a-c736-92b9ca5f8366";
    static final String HEIGHT_2015 = "c61f09fc-75f2-2fad-3490-5403a9c660e8";
    static final String HEIGHT_2016 = "a91872ca-56d7-502f-531b-c5608afd0327";
    static final String ENC_2015 = "8ffa1e06-28a3-ca4c-aae8-0a70be772507";
    static final String ENC_2016 = "a24f5c4b-d7c9-6cf7-84ab-4fed83145e73";

    @TempDir
    static Path dir;
    static SearchFixture db;

    @BeforeAll
    static void load() throws Exception {
        db = new SearchFixture(dir);
        db.loadBundle("synthea-lavern.json");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void tokenWithSystemAndCode() {
        assertEquals(List.of(HEIGHT_2016, HEIGHT_2015), db.ids("Observation", "code", "http://loinc.org|8302-2"));
        assertEquals(List.of(HEIGHT_2016, HEIGHT_2015), db.ids("Observation", "code", "8302-2"));
        assertEquals(List.of(), db.ids("Observation", "code", "http://snomed.info/sct|8302-2"));
        assertEquals(24, db.search("Observation", "code", "http://loinc.org|").total().getAsLong());
    }

    @Test
    void andOfTokenAndDate() {
        assertEquals(List.of(HEIGHT_2016), db.ids("Observation", "code", "8302-2", "date", "2016"));
        assertEquals(List.of(HEIGHT_2015), db.ids("Observation", "code", "8302-2", "date", "lt2016-01-01"));
    }

    @Test
    void sortByDateAscendingAndDescending() {
        List<String> ascending = List.of("af45867a-c07f-ca6d-f939-a741b678c9f1", ENC_2015, ENC_2016,
                "78efbb74-86a4-7f17-099a-fc0d61713fe5", "379110ba-4a6f-dd6c-a194-7077fc5438ae");
        assertEquals(ascending, db.ids("Encounter", "date", "ge2014", "_sort", "date"));
        assertEquals(ascending.reversed(), db.ids("Encounter", "date", "ge2014", "_sort", "-date"));
    }

    @Test
    void chainedToAnyDepth() {
        assertEquals(List.of("379110ba-4a6f-dd6c-a194-7077fc5438ae", "78efbb74-86a4-7f17-099a-fc0d61713fe5"),
                db.ids("Encounter", "service-provider.name", "children"));
        assertEquals(List.of("651aa9a3-2acd-80ab-41c9-6d9d6c89ce98", "9d45b64e-5d69-c556-b888-4880d9cbadf3",
                "bf2ff847-bbf4-0078-5f33-06b8ece6d34f"),
                db.ids("Condition", "encounter.service-provider.name", "CHILDREN'S"));
        assertEquals(List.of(HEIGHT_2016, HEIGHT_2015), db.ids("Observation", "subject:Patient.family", "treutel",
                "code", "8302-2"));
    }

    @Test
    void reverseChainingNested() {
        assertEquals(List.of(ENC_2015, ENC_2016), db.ids("Encounter", "_has:Observation:encounter:code", "8302-2"));
        assertEquals(List.of(PATIENT), db.ids("Patient", "_has:Encounter:patient:_has:Observation:encounter:code",
                "8302-2"));
        assertEquals(List.of(), db.ids("Patient", "_has:Observation:patient:code", "no-such-code"));
    }

    @Test
    void includeAndRevinclude() {
        SearchResult r = db.search("Observation", "code", "8302-2", "_include", "Observation:encounter");
        assertEquals(List.of(HEIGHT_2016, HEIGHT_2015), ids(r.matches()));
        assertEquals(List.of(ENC_2016, ENC_2015), ids(r.includes()));
        SearchResult rev = db.search("Encounter", "_id", ENC_2016, "_revinclude", "Observation:encounter");
        assertEquals(List.of(ENC_2016), ids(rev.matches()));
        assertEquals(11, rev.includes().size());
        assertTrue(rev.includes().stream().allMatch(v -> v.type().equals("Observation")));
        SearchResult iterate = db.search("Observation", "_id", HEIGHT_2016, "_include", "Observation:encounter",
                "_include:iterate", "Encounter:service-provider");
        assertEquals(List.of(ENC_2016, "67d2f85b-ddc7-3ed0-b90b-6fa5b7b8358a"), ids(iterate.includes()));
    }

    @Test
    void quantityWithUnitsAndUcumConversion() {
        assertEquals(List.of(HEIGHT_2016),
                db.ids("Observation", "value-quantity", "gt168.5|http://unitsofmeasure.org|cm"));
        assertEquals(List.of(HEIGHT_2016), db.ids("Observation", "value-quantity", "1689|http://unitsofmeasure.org|mm"));
        assertEquals(List.of(HEIGHT_2015), db.ids("Observation", "value-quantity", "168.4||cm"));
        assertEquals(List.of(), db.ids("Observation", "value-quantity", "168.4||kg"));
    }

    @Test
    void compositeMatchesComponentsOfTheSameElement() {
        assertEquals(List.of("30cfbdc4-6a80-16b2-15b9-96dbcfa6d0b9"),
                db.ids("Observation", "component-code-value-quantity", "http://loinc.org|8462-4$81"));
        assertEquals(List.of(), db.ids("Observation", "component-code-value-quantity", "http://loinc.org|8462-4$98"));
        assertEquals(List.of(HEIGHT_2016), db.ids("Observation", "code-value-quantity", "8302-2$gt168.5"));
    }

    @Test
    void patientCompartment() {
        SearchResult r = db.engine.search(SearchRequest.inCompartment("Patient", PATIENT, "Condition", Map.of()));
        assertEquals(9, r.matches().size());
        SearchResult all = db.engine.search(SearchRequest.inCompartment("Patient", PATIENT, "*",
                SearchRequest.params("_count", "1000")));
        assertEquals(75, all.matches().size());
    }

    @Test
    void pagesDoNotShiftWhenDataArrives() throws Exception {
        SearchResult first = db.search("Observation", "_count", "10", "_sort", "-date");
        assertEquals(24, first.total().getAsLong());
        assertEquals(10, first.matches().size());
        db.create("{\"resourceType\":\"Observation\",\"id\":\"000-new\",\"status\":\"final\","
                + "\"code\":{\"text\":\"x\"},\"effectiveDateTime\":\"2016-06-11T15:28:03+00:00\"}");
        try {
            SearchResult second = db.search("Observation", "_count", "10", "_sort", "-date", "_cursor",
                    first.next().orElseThrow());
            SearchResult third = db.search("Observation", "_count", "10", "_sort", "-date", "_cursor",
                    second.next().orElseThrow());
            assertTrue(third.next().isEmpty());
            List<String> all = new java.util.ArrayList<>(ids(first.matches()));
            all.addAll(ids(second.matches()));
            all.addAll(ids(third.matches()));
            assertEquals(24, all.size());
            assertEquals(24, new java.util.HashSet<>(all).size());
            SearchResult back = db.search("Observation", "_count", "10", "_sort", "-date", "_cursor",
                    second.previous().orElseThrow());
            // the previous page is cut from the current data: the new resource sorts into it
            List<String> backIds = ids(back.matches());
            assertEquals(10, backIds.size());
            assertTrue(backIds.contains("000-new"));
            assertEquals(ids(first.matches()).get(9), backIds.get(9));
        } finally {
            db.delete("Observation", "000-new");
        }
    }

    @Test
    void systemSearchWithType() {
        SearchResult r = db.engine.search(SearchRequest.system(SearchRequest.params("_type", "Patient,Practitioner",
                "name", "jenkins")));
        assertEquals(List.of("2a858bff-126f-3157-9aa9-0c2484a0059f"), ids(r.matches()));
    }

    @Test
    void conditionalMatch() {
        assertEquals(List.of(PATIENT), db.engine.matchIds("Patient", SearchRequest.params("family", "Treutel973"), 2));
        assertEquals(2, db.engine.matchIds("Observation", SearchRequest.params("code", "8302-2"), 2).size());
    }

    @Test
    void summaryCountAndTotalNone() {
        SearchResult count = db.search("Observation", "_summary", "count");
        assertEquals(24, count.total().getAsLong());
        assertTrue(count.matches().isEmpty());
        assertTrue(db.search("Observation", "_total", "none").total().isEmpty());
    }

    static List<String> ids(List<ResourceVersion> versions) {
        return versions.stream().map(ResourceVersion::id).toList();
    }
}
