package dev.fhirbolt.authz.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.ResourceIndexer;
import dev.fhirbolt.search.param.CompiledParam;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

/**
 * The audit log renders JSON and selects search values directly from an event's content; they must be what the
 * generic path (HAPI model, HAPI encoder, the search parameters' paths) gives. This keeps the two in step when either
 * side changes.
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

    /**
     * The references and identifiers the audit log indexes and tests (agent, entity, patient) are what the R4
     * search parameters' paths select on the HAPI model, as the search indexer encodes them — except that the log
     * keeps an absolute reference (a fhirUser claim often is one) as {@code Type/id}, where the indexer keeps it
     * as a URL.
     */
    @Test
    void indexedFieldsAreWhatTheSearchParametersSelect() {
        SearchParameterRegistry registry = new SearchParameterRegistry();
        int n = 0;
        for (AuditRecord r : records()) {
            String id = "ae" + n++;
            AuditEventContent c = AuditEventContent.of(r, SITE);
            AuditEvent model = AuditEventModel.of(id, c);
            assertEquals(sorted(AuditFields.agentReferences(c)), generic(registry, model, "agent", Encoded.LOCAL_REF),
                    r.toString());
            assertEquals(sorted(AuditFields.agentIdentifiers(c)),
                    generic(registry, model, "agent", Encoded.REF_IDENTIFIER), r.toString());
            assertEquals(sorted(AuditFields.entities(c)), generic(registry, model, "entity", Encoded.LOCAL_REF),
                    r.toString());
            assertEquals(sorted(AuditFields.patients(c)), generic(registry, model, "patient", Encoded.LOCAL_REF),
                    r.toString());
        }
    }

    private static List<String> generic(SearchParameterRegistry registry, AuditEvent model, String code, byte kind) {
        CompiledParam param = registry.find("AuditEvent", code).orElseThrow();
        return sorted(ResourceIndexer.values(model, param, registry::byUrl).stream()
                .filter(v -> v[0] == kind || kind == Encoded.LOCAL_REF && v[0] == Encoded.URL)
                .map(v -> v[0] == Encoded.URL ? AuditFields.local(Encoded.parts(v)[0])
                        : String.join("|", Encoded.parts(v))).toList());
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().distinct().sorted().toList();
    }
}
