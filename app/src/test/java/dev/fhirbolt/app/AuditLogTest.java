package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.fhirbolt.authz.audit.AuditRecord;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log on a real server over HTTP: every request leaves an AuditEvent that AuditEvent? finds with the right
 * who, what and outcome; date, agent and patient searches give exact sets in date order; paging is stable; the log
 * survives a restart; it is append-only.
 */
class AuditLogTest {

    /** Recorded times of the events this test records itself: long before any request of the test. */
    private static final Instant T0 = Instant.parse("2024-03-01T08:00:00Z");
    private static final Map<String, String> AUDIT_ON = Map.of("audit", "on");

    Path dataDir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("fhirbolt-audit");
        server = TestServer.start(dataDir, AUDIT_ON);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyRequestLeavesAnAuditEventFoundBySearch() throws Exception {
        IGenericClient client = server.client();
        Patient p = new Patient();
        p.addName().setFamily("Audited");
        String id = client.create().resource(p).execute().getId().getIdPart();
        client.read().resource(Patient.class).withId(id).execute();
        client.search().byUrl("Patient?family=Audited").returnBundle(Bundle.class).execute();
        assertEquals(404, server.get("/Observation/not-there").statusCode());
        flush();

        List<AuditEvent> onPatient = events(client, "AuditEvent?entity=Patient/" + id + "&_sort=date");
        assertEquals(List.of("create", "read"), onPatient.stream().map(e -> e.getSubtypeFirstRep().getCode())
                .toList());
        for (AuditEvent e : onPatient) {
            assertEquals(AuditEvent.AuditEventOutcome._0, e.getOutcome());
            assertEquals("anonymous", e.getAgentFirstRep().getWho().getIdentifier().getValue());
            assertEquals("127.0.0.1", e.getAgentFirstRep().getNetwork().getAddress());
            assertEquals("Patient/" + id, e.getEntityFirstRep().getWhat().getReference());
        }
        assertEquals(AuditEvent.AuditEventAction.C, onPatient.get(0).getAction());
        assertEquals(2, events(client, "AuditEvent?agent:identifier=https://fhirbolt.dev/CodeSystem/audit-event/user"
                + "|anonymous&entity=Patient/" + id).size());

        List<AuditEvent> missing = events(client, "AuditEvent?entity=Observation/not-there");
        assertEquals(1, missing.size());
        assertEquals(AuditEvent.AuditEventOutcome._4, missing.get(0).getOutcome());
        assertTrue(missing.get(0).getOutcomeDesc().startsWith("404"), missing.get(0).getOutcomeDesc());

        List<AuditEvent> searches = events(client, "AuditEvent?subtype=search-type&outcome=0&address=127.0.0");
        assertTrue(searches.stream().anyMatch(e -> e.getEntityFirstRep().getDescription()
                .equals("GET /Patient?family=Audited")), searches.toString());

        AuditEvent read = client.read().resource(AuditEvent.class).withId(onPatient.get(1).getIdPart()).execute();
        assertEquals("read", read.getSubtypeFirstRep().getCode());
        assertEquals("1", read.getMeta().getVersionId());
        assertTrue(server.get("/AuditEvent/" + read.getIdPart() + "/_history/1").statusCode() == 200);
        try {
            client.read().resource(AuditEvent.class).withId("0123").execute();
            throw new AssertionError("no such AuditEvent");
        } catch (ResourceNotFoundException expected) {
            // as for any type
        }
    }

    @Test
    void dateAgentAndPatientSearchesGiveExactSetsInDateOrder() throws Exception {
        recordThirty();
        IGenericClient client = server.client();
        String range = "date=ge" + T0.plus(10, ChronoUnit.MINUTES) + "&date=lt" + T0.plus(20, ChronoUnit.MINUTES);
        assertEquals(range(10, 20), numbers(events(client, "AuditEvent?" + range + "&_sort=date&_count=100")));
        assertEquals(range(10, 20).reversed(), numbers(events(client, "AuditEvent?" + range + "&_sort=-date")));
        // a day's precision is the whole day, prefixes on it too
        assertEquals(range(0, 30), numbers(events(client, "AuditEvent?date=2024-03-01&_sort=date&_count=100")));
        assertEquals(List.of(), numbers(events(client, "AuditEvent?date=gt2024-03-01&date=lt2024-06-01")));
        assertEquals(evens(0, 30), numbers(events(client, "AuditEvent?agent=Practitioner/a&date=2024-03"
                + "&_count=100")));
        assertEquals(List.of(28, 26, 24), numbers(events(client, "AuditEvent?agent=Practitioner/a&_sort=-date"
                + "&date=ge" + T0.plus(23, ChronoUnit.MINUTES))));
        assertEquals(List.of(9, 21), numbers(events(client, "AuditEvent?patient=p1&entity=Observation/o9,"
                + "Observation/o21")));
        assertEquals(IntStream.range(0, 30).filter(i -> i % 3 == 0).boxed().toList(),
                numbers(events(client, "AuditEvent?patient=Patient/p1&_count=100&_sort=date")));
        assertEquals(List.of(3), numbers(events(client, "AuditEvent?agent:identifier="
                + "https://fhirbolt.dev/CodeSystem/audit-event/client|app-3")));
        assertEquals(List.of(5), numbers(events(client, "AuditEvent?agent-name=DR.B&outcome=4")));

        Bundle counted = client.search().byUrl("AuditEvent?agent=Practitioner/b&_total=accurate&_count=2")
                .returnBundle(Bundle.class).execute();
        assertEquals(15, counted.getTotal());
        assertEquals(2, counted.getEntry().size());
    }

    @Test
    void pagingIsStableAndTheLogSurvivesARestart() throws Exception {
        recordThirty();
        IGenericClient client = server.client();
        Bundle page = client.search().byUrl("AuditEvent?agent=Practitioner/a&_count=4&_sort=date")
                .returnBundle(Bundle.class).execute();
        List<Integer> seen = new ArrayList<>(numbers(entries(page)));
        // an event recorded meanwhile, before everything already seen, does not shift the pages
        server.server.audit().record(record(-1, "Practitioner/a"));
        flush();
        while (page.getLink(Bundle.LINK_NEXT) != null) {
            page = client.loadPage().next(page).execute();
            seen.addAll(numbers(entries(page)));
        }
        assertEquals(evens(0, 30), seen);

        // backwards, through the index of one agent and through the whole log
        for (String url : List.of("AuditEvent?agent=Practitioner/b&_count=4&_sort=-date",
                "AuditEvent?date=2024-03-01&outcome=0&_count=7&_sort=-date")) {
            page = client.search().byUrl(url).returnBundle(Bundle.class).execute();
            List<Integer> back = new ArrayList<>(numbers(entries(page)));
            while (page.getLink(Bundle.LINK_NEXT) != null) {
                page = client.loadPage().next(page).execute();
                back.addAll(numbers(entries(page)));
            }
            List<Integer> expected = url.contains("agent") ? IntStream.range(0, 30).filter(i -> i % 2 == 1)
                    .boxed().toList() : IntStream.range(-1, 30).filter(i -> i != 5).boxed().toList();
            assertEquals(expected.reversed(), back, url);
        }
        HttpResponse<String> count = server.get("/AuditEvent?agent=Practitioner/a&_summary=count");
        assertTrue(count.body().contains("\"total\":16") && !count.body().contains("\"entry\""), count.body());

        server.close();
        server = TestServer.start(dataDir, AUDIT_ON);
        client = server.client();
        List<Integer> again = numbers(events(client, "AuditEvent?agent=Practitioner/a&_count=100&_sort=date"));
        assertEquals(-1, again.get(0));
        assertEquals(evens(0, 30), again.subList(1, again.size()));
    }

    @Test
    void unknownParametersAndWritesAnswerAsElsewhere() throws Exception {
        HttpResponse<String> strict = server.get("/AuditEvent?unknown-thing=1", "Prefer", "handling=strict");
        assertEquals(400, strict.statusCode());
        assertTrue(strict.body().contains("OperationOutcome") && strict.body().contains("unknown-thing"),
                strict.body());
        HttpResponse<String> lenient = server.get("/AuditEvent?unknown-thing=1&_count=0");
        assertEquals(200, lenient.statusCode());
        assertFalse(lenient.body().contains("AuditEvent?unknown-thing"), "not in the self link: " + lenient.body());
        assertTrue(lenient.body().contains("\"mode\":\"outcome\"") && lenient.body().contains("'unknown-thing'"),
                "named in the outcome entry: " + lenient.body());
        assertTrue(lenient.body().contains("\"total\""), lenient.body());
        assertEquals(400, server.get("/AuditEvent?date=notadate").statusCode());
        assertEquals(400, server.get("/AuditEvent?_sort=subtype").statusCode());

        String event = "{\"resourceType\":\"AuditEvent\",\"recorded\":\"2024-01-01T00:00:00Z\","
                + "\"type\":{\"code\":\"rest\"},\"agent\":[{\"requestor\":true}],\"source\":{\"observer\":"
                + "{\"display\":\"x\"}}}";
        for (HttpResponse<String> r : List.of(server.send("POST", "/AuditEvent", event),
                server.send("PUT", "/AuditEvent/x", event.replace("{\"resourceType\":\"AuditEvent\",",
                        "{\"resourceType\":\"AuditEvent\",\"id\":\"x\",")),
                server.send("DELETE", "/AuditEvent/x", null), server.get("/AuditEvent/_history"))) {
            assertEquals(405, r.statusCode(), r.body());
            assertTrue(r.body().contains("OperationOutcome"), r.body());
        }
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + event + ",\"request\":{\"method\":\"POST\",\"url\":\"AuditEvent\"}}]}";
        assertEquals(405, server.send("POST", "/", transaction).statusCode());
        HttpResponse<String> system = server.get("/?_type=Patient,AuditEvent");
        assertEquals(400, system.statusCode(), system.body());
        assertTrue(system.body().contains("AuditEvent?"), system.body());

        String metadata = server.get("/metadata").body();
        int at = metadata.indexOf("\"type\":\"AuditEvent\"");
        String auditEntry = metadata.substring(at, metadata.indexOf("\"type\":\"Basic\"", at));
        assertTrue(auditEntry.contains("search-type") && !auditEntry.contains("\"create\"")
                && auditEntry.contains("\"name\":\"agent\""), auditEntry);
    }

    /** Thirty events a minute apart from T0: Practitioner/a on even, b on odd; patient p1 on every third. */
    private void recordThirty() throws Exception {
        for (int i = 0; i < 30; i++) {
            server.server.audit().record(record(i, i % 2 == 0 ? "Practitioner/a" : "Practitioner/b"));
        }
        flush();
    }

    private static AuditRecord record(int i, String who) {
        boolean ok = i != 5;
        return new AuditRecord(T0.plus(i, ChronoUnit.MINUTES), "rest", "read", "R", ok, ok ? "200" : "404 gone",
                who.equals("Practitioner/a") ? "dr.a" : "dr.b", who, "app-" + i,
                i % 3 == 0 ? "p1" : "p2", "10.0.0.1", "GET /Observation/o" + i, "Observation/o" + i);
    }

    private void flush() throws InterruptedException {
        assertTrue(server.server.audit().flush(10_000));
    }

    private static List<AuditEvent> events(IGenericClient client, String url) {
        Bundle b = client.search().byUrl(url).returnBundle(Bundle.class).execute();
        assertNull(b.getLink(Bundle.LINK_NEXT), "more than a page: " + url);
        return entries(b);
    }

    private static List<AuditEvent> entries(Bundle b) {
        return b.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
    }

    /** The i of each event recorded by {@link #record}. */
    private static List<Integer> numbers(List<AuditEvent> events) {
        return events.stream().map(e -> Integer.parseInt(e.getEntityFirstRep().getWhat().getReference()
                .substring("Observation/o".length()))).toList();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private static List<Integer> evens(int from, int to) {
        return IntStream.range(from, to).filter(i -> i % 2 == 0).boxed().toList();
    }
}
