package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Patient $everything: the record, what it references, nothing of other patients; paging and filters. */
class PatientEverythingTest {

    static TestServer server;

    @BeforeAll
    static void load() throws Exception {
        server = TestServer.start();
        put("Practitioner/dr-x", "{\"resourceType\":\"Practitioner\",\"id\":\"dr-x\",\"name\":[{\"family\":\"X\"}]}");
        put("Organization/org-1", "{\"resourceType\":\"Organization\",\"id\":\"org-1\",\"name\":\"Clinic\"}");
        put("Medication/med-1", "{\"resourceType\":\"Medication\",\"id\":\"med-1\",\"code\":{\"text\":\"aspirin\"}}");
        put("Medication/med-unused", "{\"resourceType\":\"Medication\",\"id\":\"med-unused\"}");
        for (String p : List.of("a", "b")) {
            put("Patient/" + p, "{\"resourceType\":\"Patient\",\"id\":\"" + p + "\",\"managingOrganization\":"
                    + "{\"reference\":\"Organization/org-1\"}}");
            put("Encounter/enc-" + p, "{\"resourceType\":\"Encounter\",\"id\":\"enc-" + p + "\",\"status\":\"finished\","
                    + "\"class\":{\"code\":\"AMB\"},\"subject\":{\"reference\":\"Patient/" + p + "\"},"
                    + "\"period\":{\"start\":\"2020-01-01\",\"end\":\"2020-01-01\"}}");
            put("Observation/obs-" + p + "-2019", obs(p, "2019-06-01"));
            put("Observation/obs-" + p + "-2021", obs(p, "2021-06-01"));
        }
        put("MedicationRequest/mr-a", "{\"resourceType\":\"MedicationRequest\",\"id\":\"mr-a\",\"status\":\"active\","
                + "\"intent\":\"order\",\"medicationReference\":{\"reference\":\"Medication/med-1\"},"
                + "\"subject\":{\"reference\":\"Patient/a\"}}");
    }

    private static String obs(String patient, String date) {
        return "{\"resourceType\":\"Observation\",\"id\":\"obs-" + patient + "-" + date.substring(0, 4)
                + "\",\"status\":\"final\",\"code\":{\"text\":\"weight\"},\"subject\":{\"reference\":\"Patient/"
                + patient + "\"},\"effectiveDateTime\":\"" + date + "\",\"performer\":[{\"reference\":"
                + "\"Practitioner/dr-x\"}]}";
    }

    private static void put(String path, String body) throws Exception {
        assertEquals(201, server.send("PUT", "/" + path, body).statusCode());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> refs(Bundle bundle) {
        List<String> refs = new ArrayList<>();
        bundle.getEntry().forEach(e -> refs.add(e.getResource().getIdElement().toUnqualifiedVersionless().getValue()));
        return refs;
    }

    @Test
    void everythingOfOnePatient() {
        IGenericClient client = server.client();
        Bundle bundle = client.operation().onInstance("Patient/a").named("$everything")
                .withNoParameters(Parameters.class).returnResourceType(Bundle.class).useHttpGet().execute();
        List<String> refs = refs(bundle);
        assertEquals("Patient/a", refs.get(0));
        assertEquals(List.of("Patient/a", "Encounter/enc-a", "MedicationRequest/mr-a", "Observation/obs-a-2019",
                "Observation/obs-a-2021", "Organization/org-1", "Medication/med-1", "Practitioner/dr-x"), refs);
        assertEquals(8, bundle.getTotal());
        assertFalse(refs.stream().anyMatch(r -> r.endsWith("-b") || r.contains("-b-") || r.equals("Patient/b")));
        assertEquals(Bundle.SearchEntryMode.INCLUDE, bundle.getEntry().get(7).getSearch().getMode());
    }

    @Test
    void typeStartEndAndPaging() throws Exception {
        IGenericClient client = server.client();
        Bundle observations = client.search().byUrl(server.base + "/Patient/a/$everything?_type=Patient,Observation&start=2020-01-01")
                .returnBundle(Bundle.class).execute();
        assertEquals(List.of("Patient/a", "Observation/obs-a-2021", "Organization/org-1", "Practitioner/dr-x"),
                refs(observations));
        Bundle page1 = client.search().byUrl(server.base + "/Patient/a/$everything?_count=3").returnBundle(Bundle.class).execute();
        assertEquals(3, page1.getEntry().size());
        put("Observation/obs-a-late", obs("a", "2022-01-01").replace("obs-a-2022", "obs-a-late"));
        Bundle page2 = client.loadPage().next(page1).execute();
        Bundle page3 = client.loadPage().next(page2).execute();
        List<String> all = new ArrayList<>(refs(page1));
        all.addAll(refs(page2));
        all.addAll(refs(page3));
        assertEquals(8, all.size(), "pages come from the record as it was on the first page: " + all);
        assertFalse(all.contains("Observation/obs-a-late"));
        assertEquals(204, server.send("DELETE", "/Observation/obs-a-late", null).statusCode());
        assertEquals(404, server.get("/Patient/nobody/$everything").statusCode());
        assertEquals(400, server.get("/Patient/a/$everything?start=whenever").statusCode());
    }

    @Test
    void allPatients() {
        Bundle bundle = server.client().search().byUrl(server.base + "/Patient/$everything?_count=100").returnBundle(Bundle.class)
                .execute();
        List<String> refs = refs(bundle);
        assertTrue(refs.contains("Patient/a") && refs.contains("Patient/b"));
        assertTrue(refs.contains("Observation/obs-b-2019"));
        assertFalse(refs.contains("Medication/med-unused"));
    }
}
