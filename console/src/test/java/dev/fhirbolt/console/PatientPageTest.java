package dev.fhirbolt.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The patient view's sections made from the resources of $everything. */
class PatientPageTest {

    private static JsonNode json(String text) {
        return JsonTexts.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static List<JsonNode> record() {
        List<JsonNode> r = new ArrayList<>();
        r.add(json("{\"resourceType\":\"Condition\",\"id\":\"c1\",\"code\":{\"text\":\"Asthma\"},\"clinicalStatus\":"
                + "{\"coding\":[{\"code\":\"active\"}]},\"onsetDateTime\":\"2010-01-01\"}"));
        r.add(json("{\"resourceType\":\"Condition\",\"id\":\"c2\",\"code\":{\"text\":\"Flu\"},\"clinicalStatus\":"
                + "{\"coding\":[{\"code\":\"resolved\"}]}}"));
        r.add(json("{\"resourceType\":\"MedicationRequest\",\"id\":\"m1\",\"status\":\"active\","
                + "\"medicationCodeableConcept\":{\"text\":\"Inhaler\"},\"authoredOn\":\"2011-01-01\"}"));
        r.add(json("{\"resourceType\":\"MedicationRequest\",\"id\":\"m2\",\"status\":\"stopped\","
                + "\"medicationCodeableConcept\":{\"text\":\"Old pill\"}}"));
        for (int i = 0; i < 45; i++) {
            r.add(json("{\"resourceType\":\"Encounter\",\"id\":\"e" + i + "\",\"type\":[{\"text\":\"Visit " + i
                    + "\"}],\"period\":{\"start\":\"" + (1980 + i) + "-01-01T00:00:00Z\"}}"));
        }
        r.add(json("{\"resourceType\":\"Observation\",\"id\":\"o1\",\"code\":{\"coding\":[{\"code\":\"8867-4\"}]},"
                + "\"effectiveDateTime\":\"2012-01-01T00:00:00Z\",\"valueQuantity\":{\"value\":72,\"unit\":\"/min\"}}"));
        r.add(json("{\"resourceType\":\"Observation\",\"id\":\"o2\",\"code\":{\"coding\":[{\"code\":\"2093-3\"}]},"
                + "\"effectiveDateTime\":\"2012-01-01T00:00:00Z\",\"valueQuantity\":{\"value\":190,\"unit\":\"mg/dL\"}}"));
        return r;
    }

    @Test
    void sectionsKeepWhatTheyShow() {
        Views.Patient v = PatientPage.view("p1", new PatientPage.Record(record(), 51, false, null));
        assertEquals(List.of("Asthma"), v.conditions().stream().map(Views.Item::text).toList());
        assertEquals(List.of("Inhaler"), v.medications().stream().map(Views.Item::text).toList());
        assertEquals(40, v.encounters().size(), "the newest 40");
        assertEquals("Visit 44", v.encounters().get(0).text());
        assertEquals(1, v.charts().size(), "heart rate only: the cholesterol is not a vital sign");
        assertEquals("Heart rate", v.charts().get(0).title());
        assertNull(v.note());
        assertTrue(v.record().get(0).href().endsWith("/Patient/p1/$everything"));
    }

    @Test
    void aPartOrRefusedRecordIsSaidSo() {
        Views.Patient part = PatientPage.view("p1", new PatientPage.Record(record(), 40_000, false, null));
        assertTrue(part.note().contains("of the record's 40000"), part.note());
        Views.Patient refused = PatientPage.view("p1", new PatientPage.Record(List.of(), 0, true, "forbidden"));
        assertTrue(refused.note().contains("does not allow"), refused.note());
        assertTrue(refused.conditions().isEmpty());
    }
}
