package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionTest {

    static final String SYS = "http://example.org/ids";

    @TempDir
    static Path dir;
    static TxServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = TxServer.start(dir.resolve("data"));
        http = new Http(server.baseUrl);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Bundle tx() {
        return new Bundle().setType(Bundle.BundleType.TRANSACTION);
    }

    static BundleEntryComponent add(Bundle b, String fullUrl, Resource r, HTTPVerb method, String url) {
        BundleEntryComponent e = b.addEntry().setResource(r);
        if (fullUrl != null) {
            e.setFullUrl(fullUrl);
        }
        e.getRequest().setMethod(method).setUrl(url);
        return e;
    }

    static Patient patient(String identifier) {
        Patient p = new Patient();
        p.addName().setFamily("Test").addGiven("T");
        if (identifier != null) {
            p.addIdentifier().setSystem(SYS).setValue(identifier);
        }
        return p;
    }

    static String idFrom(String location) {
        String[] s = location.split("/");
        for (int i = 0; i < s.length; i++) {
            if (s[i].equals("_history")) {
                return s[i - 1];
            }
        }
        return s[s.length - 1];
    }

    static String diagnostics(Http.Response r) {
        return r.as(OperationOutcome.class).getIssueFirstRep().getDiagnostics();
    }

    @Test
    void urnReferencesAreResolvedEverywhere() {
        Bundle b = tx();
        Patient p = patient(null);
        p.setManagingOrganization(new Reference("urn:oid:1.2.3.4"));
        add(b, "urn:uuid:11111111-1111-1111-1111-111111111111", p, HTTPVerb.POST, "Patient");
        add(b, "urn:oid:1.2.3.4", new Organization().setName("Org"), HTTPVerb.POST, "Organization");
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("x");
        o.getCode().getTextElement().addExtension(new Extension("http://example.org/on-a-primitive",
                new Reference("urn:uuid:11111111-1111-1111-1111-111111111111")));
        o.setSubject(new Reference("urn:uuid:11111111-1111-1111-1111-111111111111"));
        o.addExtension(new Extension("http://example.org/ext",
                new Reference("urn:uuid:11111111-1111-1111-1111-111111111111")));
        RelatedPerson rp = new RelatedPerson();
        rp.setId("rp1");
        rp.setPatient(new Reference("urn:uuid:11111111-1111-1111-1111-111111111111"));
        o.addContained(rp);
        o.addPerformer(new Reference("#rp1"));
        add(b, "urn:uuid:22222222-2222-2222-2222-222222222222", o, HTTPVerb.POST, "Observation");

        Http.Response r = http.post("", b);
        assertEquals(200, r.status(), () -> r.body().substring(0, Math.min(500, r.body().length())));
        Bundle response = r.as(Bundle.class);
        assertEquals("transaction-response", response.getType().toCode());
        assertEquals("201 Created", response.getEntry().get(0).getResponse().getStatus());
        String patientId = idFrom(response.getEntry().get(0).getResponse().getLocation());
        String orgId = idFrom(response.getEntry().get(1).getResponse().getLocation());
        String obsId = idFrom(response.getEntry().get(2).getResponse().getLocation());
        assertNotNull(response.getEntry().get(2).getResponse().getEtag());
        assertNotNull(response.getEntry().get(2).getResponse().getLastModified());

        Observation stored = http.get("Observation/" + obsId).as(Observation.class);
        assertEquals("Patient/" + patientId, stored.getSubject().getReference());
        assertEquals("Patient/" + patientId,
                ((Reference) stored.getExtensionByUrl("http://example.org/ext").getValue()).getReference());
        assertEquals("Patient/" + patientId, ((Reference) stored.getCode().getTextElement()
                .getExtensionByUrl("http://example.org/on-a-primitive").getValue()).getReference());
        RelatedPerson contained = (RelatedPerson) stored.getContained().get(0);
        assertEquals("Patient/" + patientId, contained.getPatient().getReference());
        assertEquals("#rp1", stored.getPerformerFirstRep().getReference());
        Patient storedPatient = http.get("Patient/" + patientId).as(Patient.class);
        assertEquals("Organization/" + orgId, storedPatient.getManagingOrganization().getReference());
    }

    @Test
    void unknownUrnIsRejected() {
        Bundle b = tx();
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("x");
        o.setSubject(new Reference("urn:uuid:99999999-9999-9999-9999-999999999999"));
        add(b, "urn:uuid:22222222-2222-2222-2222-222222222223", o, HTTPVerb.POST, "Observation");
        Http.Response r = http.post("", b);
        assertEquals(400, r.status());
        assertTrue(diagnostics(r).contains("not the fullUrl of any entry"), diagnostics(r));
    }

    @Test
    void aBadEntryInTheMiddleLeavesTheDatabaseExactlyAsBefore() {
        http.put("Patient/atom-existing", patient("atom").setId("atom-existing"));
        long tBefore = server.store.lastT();
        String historyBefore = http.get("_history?_count=1000").as(Bundle.class).getEntry().stream()
                .map(e -> e.getResponse().getEtag() + e.getFullUrl()).toList().toString();

        for (String failure : List.of("conditional-reference", "if-match", "invalid-patch")) {
            Bundle b = tx();
            for (int i = 0; i < 300; i++) {
                if (i == 150) {
                    switch (failure) {
                        case "conditional-reference" -> {
                            Patient p = patient(null);
                            p.addGeneralPractitioner(new Reference("Practitioner?identifier=" + SYS + "|nobody"));
                            add(b, "urn:uuid:bad-" + i, p, HTTPVerb.POST, "Patient");
                        }
                        case "if-match" -> add(b, null, patient("atom").setId("atom-existing"), HTTPVerb.PUT,
                                "Patient/atom-existing").getRequest().setIfMatch("W/\"7\"");
                        default -> {
                            org.hl7.fhir.r4.model.Binary patch = new org.hl7.fhir.r4.model.Binary();
                            patch.setContentType("application/json-patch+json");
                            patch.setData("[{\"op\":\"replace\",\"path\":\"/birthDate\",\"value\":\"nope\"}]"
                                    .getBytes());
                            add(b, null, patch, HTTPVerb.PATCH, "Patient/atom-existing");
                        }
                    }
                } else {
                    add(b, "urn:uuid:e-" + failure + "-" + i, patient("bulk-" + failure + i), HTTPVerb.POST,
                            "Patient");
                }
            }
            Http.Response r = http.post("", b);
            assertTrue(r.status() == 412 || r.status() == 422, failure + ": " + r.status() + " " + r.body().substring(0, Math.min(300, r.body().length())));
            String message = diagnostics(r);
            assertTrue(message.contains("entry 150"), message);
            assertTrue(message.contains("nothing was stored"), message);
            assertEquals("Bundle.entry[150]",
                    r.as(OperationOutcome.class).getIssueFirstRep().getExpression().get(0).getValue());
            assertEquals(tBefore, server.store.lastT(), failure);
        }
        String historyAfter = http.get("_history?_count=1000").as(Bundle.class).getEntry().stream()
                .map(e -> e.getResponse().getEtag() + e.getFullUrl()).toList().toString();
        assertEquals(historyBefore, historyAfter);
        assertEquals("1", http.get("Patient/atom-existing").as(Patient.class).getMeta().getVersionId());
    }

    @Test
    void entriesAreProcessedDeletePostPutThenGet() {
        http.put("Patient/order-del", patient(null).setId("order-del"));
        Bundle b = tx();
        b.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/order-put");
        add(b, null, patient(null).setId("order-put"), HTTPVerb.PUT, "Patient/order-put");
        add(b, "urn:uuid:order-post", patient(null), HTTPVerb.POST, "Patient");
        b.addEntry().getRequest().setMethod(HTTPVerb.DELETE).setUrl("Patient/order-del");
        Http.Response r = http.post("", b);
        assertEquals(200, r.status(), () -> r.body().substring(0, Math.min(500, r.body().length())));
        Bundle response = r.as(Bundle.class);
        assertEquals("200 OK", response.getEntry().get(0).getResponse().getStatus());
        assertEquals("order-put", response.getEntry().get(0).getResource().getIdElement().getIdPart());
        assertEquals("201 Created", response.getEntry().get(1).getResponse().getStatus());
        assertEquals("201 Created", response.getEntry().get(2).getResponse().getStatus());
        assertEquals("204 No Content", response.getEntry().get(3).getResponse().getStatus());
        assertEquals(410, http.get("Patient/order-del").status());
        // all writes share one transaction number
        Bundle history = http.get("_history?_count=3").as(Bundle.class);
        assertEquals(3, history.getEntry().size());
    }

    @Test
    void everyConditionalForm() {
        Bundle seed = new Bundle().setType(Bundle.BundleType.BATCH);
        Practitioner doc = new Practitioner();
        doc.addIdentifier().setSystem(SYS).setValue("doc-1");
        add(seed, null, doc, HTTPVerb.POST, "Practitioner").getRequest().setIfNoneExist("identifier=" + SYS
                + "|doc-1");
        Http.Response seeded = http.post("", seed);
        assertEquals("201 Created", seeded.as(Bundle.class).getEntryFirstRep().getResponse().getStatus());
        String docId = idFrom(seeded.as(Bundle.class).getEntryFirstRep().getResponse().getLocation());
        // the same batch again: ifNoneExist finds it
        Http.Response again = http.post("", seed);
        assertEquals("200 OK", again.as(Bundle.class).getEntryFirstRep().getResponse().getStatus());
        assertEquals(docId, idFrom(again.as(Bundle.class).getEntryFirstRep().getResponse().getLocation()));

        // ifNoneExist in a transaction, and a conditional reference
        Bundle b = tx();
        Patient p = patient("cond-1");
        p.addGeneralPractitioner(new Reference("Practitioner?identifier=" + SYS + "|doc-1"));
        add(b, "urn:uuid:cond-p", p, HTTPVerb.POST, "Patient").getRequest()
                .setIfNoneExist("identifier=" + SYS + "|cond-1");
        Bundle created = http.post("", b).as(Bundle.class);
        assertEquals("201 Created", created.getEntryFirstRep().getResponse().getStatus());
        String pid = idFrom(created.getEntryFirstRep().getResponse().getLocation());
        assertEquals("Practitioner/" + docId,
                http.get("Patient/" + pid).as(Patient.class).getGeneralPractitionerFirstRep().getReference());
        Bundle existing = http.post("", b).as(Bundle.class);
        assertEquals("200 OK", existing.getEntryFirstRep().getResponse().getStatus());
        assertEquals(pid, idFrom(existing.getEntryFirstRep().getResponse().getLocation()));

        // conditional reference matching nothing / several
        Bundle none = tx();
        Patient p2 = patient(null);
        p2.addGeneralPractitioner(new Reference("Practitioner?identifier=" + SYS + "|nobody"));
        add(none, "urn:uuid:x", p2, HTTPVerb.POST, "Patient");
        Http.Response noneResponse = http.post("", none);
        assertEquals(412, noneResponse.status());
        assertTrue(diagnostics(noneResponse).contains("matches no Practitioner"), diagnostics(noneResponse));
        Practitioner twin = new Practitioner();
        twin.addIdentifier().setSystem(SYS).setValue("twin");
        http.post("Practitioner", twin);
        http.post("Practitioner", twin);
        Bundle several = tx();
        Patient p3 = patient(null);
        p3.addGeneralPractitioner(new Reference("Practitioner?identifier=" + SYS + "|twin"));
        add(several, "urn:uuid:y", p3, HTTPVerb.POST, "Patient");
        Http.Response severalResponse = http.post("", several);
        assertEquals(412, severalResponse.status());
        assertTrue(diagnostics(severalResponse).contains("more than one Practitioner"),
                diagnostics(severalResponse));

        // conditional update: match updates, no match creates
        Bundle cu = tx();
        add(cu, null, patient("cond-1").setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE),
                HTTPVerb.PUT, "Patient?identifier=" + SYS + "|cond-1");
        add(cu, null, patient("cond-new"), HTTPVerb.PUT, "Patient?identifier=" + SYS + "|cond-new");
        Http.Response cuHttp = http.post("", cu);
        assertEquals(200, cuHttp.status(), cuHttp.body());
        Bundle cuResponse = cuHttp.as(Bundle.class);
        assertEquals("200 OK", cuResponse.getEntry().get(0).getResponse().getStatus());
        assertEquals(pid, idFrom(cuResponse.getEntry().get(0).getResponse().getLocation()));
        assertEquals("201 Created", cuResponse.getEntry().get(1).getResponse().getStatus());
        String newId = idFrom(cuResponse.getEntry().get(1).getResponse().getLocation());

        // ifMatch right, conditional patch, conditional delete, and a GET with ifNoneMatch
        Bundle mixed = tx();
        add(mixed, null, patient("cond-1").setActive(true).setId(pid), HTTPVerb.PUT, "Patient/" + pid)
                .getRequest().setIfMatch("W/\"2\"");
        org.hl7.fhir.r4.model.Parameters fp = new org.hl7.fhir.r4.model.Parameters();
        var op = fp.addParameter().setName("operation");
        op.addPart().setName("type").setValue(new org.hl7.fhir.r4.model.CodeType("replace"));
        op.addPart().setName("path").setValue(new org.hl7.fhir.r4.model.StringType("Practitioner.active"));
        op.addPart().setName("value").setValue(new org.hl7.fhir.r4.model.BooleanType(false));
        var op2 = fp.addParameter().setName("operation");
        op2.addPart().setName("type").setValue(new org.hl7.fhir.r4.model.CodeType("add"));
        op2.addPart().setName("path").setValue(new org.hl7.fhir.r4.model.StringType("Practitioner"));
        op2.addPart().setName("name").setValue(new org.hl7.fhir.r4.model.StringType("active"));
        op2.addPart().setName("value").setValue(new org.hl7.fhir.r4.model.BooleanType(true));
        fp.getParameter().remove(0);
        add(mixed, null, fp, HTTPVerb.PATCH, "Practitioner?identifier=" + SYS + "|doc-1");
        mixed.addEntry().getRequest().setMethod(HTTPVerb.DELETE).setUrl("Patient?identifier=" + SYS + "|cond-new");
        mixed.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Practitioner/" + docId)
                .setIfNoneMatch("W/\"2\"");
        Http.Response mixedResponse = http.post("", mixed);
        assertEquals(200, mixedResponse.status(), mixedResponse.body());
        Bundle mr = mixedResponse.as(Bundle.class);
        assertEquals("200 OK", mr.getEntry().get(0).getResponse().getStatus());
        assertEquals("W/\"3\"", mr.getEntry().get(0).getResponse().getEtag());
        assertEquals("200 OK", mr.getEntry().get(1).getResponse().getStatus());
        assertEquals("204 No Content", mr.getEntry().get(2).getResponse().getStatus());
        assertEquals("304 Not Modified", mr.getEntry().get(3).getResponse().getStatus());
        assertEquals(410, http.get("Patient/" + newId).status());
        assertTrue(http.get("Practitioner/" + docId).as(Practitioner.class).getActive());

        // ifMatch wrong
        Bundle stale = tx();
        add(stale, null, patient("cond-1").setId(pid), HTTPVerb.PUT, "Patient/" + pid).getRequest()
                .setIfMatch("W/\"1\"");
        Http.Response staleResponse = http.post("", stale);
        assertEquals(412, staleResponse.status());
        assertTrue(diagnostics(staleResponse).contains("entry 0"), diagnostics(staleResponse));
    }

    @Test
    void preferReturnRepresentationAndDuplicateIdentities() {
        Bundle b = tx();
        add(b, "urn:uuid:rep", patient("rep"), HTTPVerb.POST, "Patient");
        Http.Response r = http.post("", b, "Prefer", "return=representation");
        Bundle response = r.as(Bundle.class);
        Patient p = (Patient) response.getEntryFirstRep().getResource();
        assertNotNull(p);
        assertEquals("1", p.getMeta().getVersionId());
        Bundle minimal = http.post("", b).as(Bundle.class);
        assertFalse(minimal.getEntryFirstRep().hasResource());

        Bundle dup = tx();
        add(dup, null, patient(null).setId("dup"), HTTPVerb.PUT, "Patient/dup");
        add(dup, null, patient(null).setId("dup"), HTTPVerb.PUT, "Patient/dup");
        Http.Response dupResponse = http.post("", dup);
        assertEquals(400, dupResponse.status());
        assertTrue(diagnostics(dupResponse).contains("both change Patient/dup"), diagnostics(dupResponse));
    }

    @Test
    void concurrentConflictingTransactionsSerialize() throws Exception {
        http.put("Patient/race", patient(null).setId("race"));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // If-Match on the same version: exactly one wins
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    Bundle b = tx();
                    add(b, null, patient("race-" + n).setId("race"), HTTPVerb.PUT, "Patient/race").getRequest()
                            .setIfMatch("W/\"1\"");
                    return http.post("", b).status();
                }));
            }
            int ok = 0;
            int conflicts = 0;
            for (Future<Integer> f : results) {
                int status = f.get();
                if (status == 200) {
                    ok++;
                } else if (status == 412) {
                    conflicts++;
                }
            }
            assertEquals(1, ok);
            assertEquals(threads - 1, conflicts);
            assertEquals("2", http.get("Patient/race").as(Patient.class).getMeta().getVersionId());

            // ifNoneExist racing: exactly one creates
            List<Future<String>> creates = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                creates.add(pool.submit(() -> {
                    Bundle b = tx();
                    add(b, "urn:uuid:r", patient("only-once"), HTTPVerb.POST, "Patient").getRequest()
                            .setIfNoneExist("identifier=" + SYS + "|only-once");
                    return http.post("", b).as(Bundle.class).getEntryFirstRep().getResponse().getStatus();
                }));
            }
            int created = 0;
            for (Future<String> f : creates) {
                created += f.get().startsWith("201") ? 1 : 0;
            }
            assertEquals(1, created);
            assertEquals(1, server.matcher.matchIds("Patient",
                    dev.fhirbolt.rest.Params.parse("identifier=" + SYS + "|only-once"), 10).size());

            // no lost update: concurrent patches without If-Match all land
            http.put("Patient/counter", patient(null).setId("counter"));
            List<Future<Integer>> patches = new ArrayList<>();
            for (int i = 0; i < threads * 3; i++) {
                patches.add(pool.submit(() -> http.patch("Patient/counter",
                        "[{\"op\":\"add\",\"path\":\"/name/0/given/-\",\"value\":\"g\"}]",
                        "application/json-patch+json").status()));
            }
            for (Future<Integer> f : patches) {
                assertEquals(200, f.get());
            }
            Patient counter = http.get("Patient/counter").as(Patient.class);
            assertEquals(1 + threads * 3, counter.getNameFirstRep().getGiven().size());
            assertEquals(String.valueOf(1 + threads * 3), counter.getMeta().getVersionId());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readersSeeAllOrNothingOfATransaction() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger observed = new AtomicInteger();
        int rounds = 8;
        int size = 100;
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                for (int k = 0; k < rounds; k++) {
                    boolean first = server.store.readCurrent("Patient", "vis-" + k + "-0").isPresent();
                    boolean last = server.store.readCurrent("Patient", "vis-" + k + "-" + (size - 1)).isPresent();
                    if (first) {
                        observed.incrementAndGet();
                        if (!last) {
                            violations.incrementAndGet();
                        }
                    }
                }
            }
        });
        for (int k = 0; k < rounds; k++) {
            Bundle b = tx();
            for (int i = 0; i < size; i++) {
                String id = "vis-" + k + "-" + i;
                add(b, null, patient(null).setId(id), HTTPVerb.PUT, "Patient/" + id);
            }
            assertEquals(200, http.post("", b).status());
        }
        done.set(true);
        reader.join();
        assertEquals(0, violations.get());
        assertTrue(observed.get() > 0);
    }

    @Test
    void batchEntriesSucceedOrFailOnTheirOwn() {
        Bundle b = new Bundle().setType(Bundle.BundleType.BATCH);
        add(b, null, patient("batch-ok"), HTTPVerb.POST, "Patient");
        add(b, null, new Organization().setName("wrong"), HTTPVerb.POST, "Patient");
        b.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/does-not-exist");
        add(b, null, patient(null).setId("batch-put"), HTTPVerb.PUT, "Patient/batch-put");
        Http.Response r = http.post("", b);
        assertEquals(200, r.status(), () -> r.body().substring(0, Math.min(500, r.body().length())));
        Bundle response = r.as(Bundle.class);
        assertEquals("batch-response", response.getType().toCode());
        assertEquals("201 Created", response.getEntry().get(0).getResponse().getStatus());
        assertEquals("400 Bad Request", response.getEntry().get(1).getResponse().getStatus());
        assertNotNull(response.getEntry().get(1).getResponse().getOutcome());
        assertEquals("404 Not Found", response.getEntry().get(2).getResponse().getStatus());
        assertEquals("201 Created", response.getEntry().get(3).getResponse().getStatus());
        assertEquals(200, http.get("Patient/batch-put").status());
    }

    @Test
    void oversizedBundlesAreRefused() throws Exception {
        try (TxServer small = TxServer.start(TxServer.config(dir.resolve("small"), 5, 4000))) {
            Http client = new Http(small.baseUrl);
            Bundle b = tx();
            for (int i = 0; i < 6; i++) {
                add(b, "urn:uuid:s" + i, patient(null), HTTPVerb.POST, "Patient");
            }
            Http.Response tooMany = client.post("", b);
            assertEquals(413, tooMany.status());
            assertTrue(diagnostics(tooMany).contains("6 entries"), diagnostics(tooMany));
            Bundle big = tx();
            Patient p = patient(null);
            p.addName().setText("x".repeat(5000));
            add(big, "urn:uuid:big", p, HTTPVerb.POST, "Patient");
            Http.Response tooBig = client.post("", big);
            assertEquals(413, tooBig.status());
            assertEquals(0, small.store.lastT());
        }
    }
}
