package dev.fhirbolt.authz.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.fhirbolt.database.KvEntry;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.search.SearchIndexer;
import dev.fhirbolt.search.SearchParameterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;

/**
 * The audit writer stores JSON and index entries it builds directly; they must be exactly what the generic path
 * (HAPI model, HAPI encoder, the search indexer evaluating every AuditEvent parameter) gives. This keeps the two in
 * step when either side changes: a new field, a new search parameter, a new key format.
 */
class AuditEventFormsTest {

    private static final String SITE = "https://fhir.example.org/fhir";
    private static final Instant AT = Instant.parse("2026-11-29T10:15:30.123Z");
    private static final Instant STORED = Instant.parse("2026-11-29T10:15:30.456Z");

    static List<AuditRecord> records() {
        return List.of(
                // a practitioner's read through an app, with a patient context and a query
                new AuditRecord(AT, "rest", "read", "R", true, "200", "dr.house", "Practitioner/p1", "chart-app",
                        "pat1", "10.1.2.3", "GET /Observation/o1?_elements=code", "Observation/o1"),
                // security off: no token at all; a search with characters that need escaping
                new AuditRecord(AT, "rest", "search-type", "R", true, "200", null, null, null, null,
                        "0:0:0:0:0:0:0:1", "GET /Patient?name=Müller&family=\"O'Brien\"\\x", null),
                // a patient reading their own record and being refused something
                new AuditRecord(AT, "rest", "read", "R", false, "403 read of Condition needs the scope ...",
                        "patient1", "Patient/pat1", "test-app", "pat1", "127.0.0.1", "GET /Patient/pat1",
                        "Patient/pat1"),
                // a server error on a create, no resource id
                new AuditRecord(Instant.parse("2026-11-29T10:15:30Z"), "rest", "create", "C", false, "500",
                        "svc", null, "svc", null, null, "POST /Observation", null),
                // 401: no valid token, fhirUser as an absolute URL
                new AuditRecord(AT, "rest", "unknown", "E", false, "401 no valid access token", "u9",
                        "https://fhir.example.org/fhir/Patient/9", null, "9", "192.168.0.7", "GET /x/y/z/w", null),
                // authorization events: a failed sign-in, a token issued with no detail
                new AuditRecord(AT, "auth", "failure", "E", false, "failure: wrong password", null, null,
                        "test-app", null, "127.0.0.1", "wrong password", null),
                new AuditRecord(AT, "auth", "token-issued", "C", true, "success", "patient1", null, "test-app",
                        null, "127.0.0.1", null, null),
                // system search of AuditEvents by a backend service, a delete, a transaction
                new AuditRecord(AT, "rest", "search-system", "R", true, "200", "seeder", null, "seeder", null,
                        "127.0.0.1", "GET /?_type=AuditEvent", null),
                new AuditRecord(AT, "rest", "delete", "D", true, "204", "seeder", null, "seeder", null,
                        "127.0.0.1", "DELETE /Patient/pat2", "Patient/pat2"),
                new AuditRecord(AT, "rest", "batch", "E", true, "200", "dr.house", "Practitioner/p1", "chart-app",
                        null, "127.0.0.1", "POST /", null));
    }

    @Test
    void jsonIsWhatHapiEncodes() {
        int n = 0;
        for (AuditRecord r : records()) {
            String id = "ae" + n++;
            AuditEventContent c = AuditEventContent.of(r, SITE);
            String direct = new String(StampableJson.ofEncoded(AuditEventJson.write(id, c)).stamp(1, STORED),
                    StandardCharsets.UTF_8);
            String hapi = new String(StampableJson.of(AuditEventModel.of(id, c)).stamp(1, STORED),
                    StandardCharsets.UTF_8);
            assertEquals(hapi, direct, r.toString());
        }
    }

    @Test
    void indexEntriesAreWhatTheSearchIndexerDerives() {
        assertSameEntries(new SearchParameterRegistry());
    }

    @Test
    void customSearchParametersOnAuditEventAreIndexedToo() {
        SearchParameterRegistry registry = new SearchParameterRegistry();
        SearchParameter outcomeDesc = new SearchParameter();
        outcomeDesc.setId("audit-outcome-desc");
        outcomeDesc.setUrl("https://fhir.example.org/SearchParameter/audit-outcome-desc");
        outcomeDesc.setName("outcome-desc");
        outcomeDesc.setCode("outcome-desc");
        outcomeDesc.setStatus(Enumerations.PublicationStatus.ACTIVE);
        outcomeDesc.setType(Enumerations.SearchParamType.STRING);
        outcomeDesc.addBase("AuditEvent");
        outcomeDesc.setExpression("AuditEvent.outcomeDesc");
        registry.register(outcomeDesc);
        assertSameEntries(registry);
    }

    private static void assertSameEntries(SearchParameterRegistry registry) {
        AuditEventIndex index = new AuditEventIndex(registry);
        SearchIndexer generic = new SearchIndexer(registry);
        int n = 0;
        for (AuditRecord r : records()) {
            String id = "ae" + n++;
            AuditEventContent c = AuditEventContent.of(r, SITE);
            List<String> direct = sorted(SearchIndexer.withLastUpdated("AuditEvent", id, index.entries(id, c))
                    .entries(1, STORED));
            List<String> expected = sorted(generic.index(AuditEventModel.of(id, c)).entries(1, STORED));
            assertFalse(expected.isEmpty());
            assertEquals(String.join("\n", expected), String.join("\n", direct), r.toString());
        }
    }

    private static List<String> sorted(List<KvEntry> entries) {
        HexFormat hex = HexFormat.of();
        return entries.stream().map(e -> e.keyspace().name() + " " + printable(e.key()) + " " + hex.formatHex(e.key())
                + " " + hex.formatHex(e.value())).sorted().toList();
    }

    private static String printable(byte[] key) {
        return new String(key, StandardCharsets.UTF_8).replaceAll("[^\\x20-\\x7e]", ".");
    }
}
