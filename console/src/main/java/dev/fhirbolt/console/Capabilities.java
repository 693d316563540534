package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's CapabilityStatement and what it says about each resource type: its search parameters with their
 * types. The statement is public and the same for everyone (half a megabyte that the server builds in a few hundred
 * milliseconds), so it is read once and kept for a few minutes with what the pages derive from it.
 */
final class Capabilities {

    private static final Duration KEEP = Duration.ofMinutes(5);

    /** The statement as read, and what the pages take from it, computed once per read. */
    record Read(JsonNode statement, Map<String, List<Views.SearchParam>> byType, Instant at) {
    }

    private final Clock clock;
    private volatile Read read;

    Capabilities(Clock clock) {
        this.clock = clock;
    }

    /** The statement and its parameters by type, read again when older than a few minutes. */
    Read read(FhirClient fhir) {
        Read known = read;
        if (known != null && known.at().plus(KEEP).isAfter(clock.instant())) {
            return known;
        }
        JsonNode statement = fhir.get("/metadata");
        Read fresh = new Read(statement, parse(statement), clock.instant());
        read = fresh;
        return fresh;
    }

    Map<String, List<Views.SearchParam>> byType(FhirClient fhir) {
        return read(fhir).byType();
    }

    List<String> types(FhirClient fhir) {
        return List.copyOf(byType(fhir).keySet());
    }

    static Map<String, List<Views.SearchParam>> parse(JsonNode statement) {
        List<JsonNode> resources = new ArrayList<>();
        for (JsonNode rest : statement.path("rest")) {
            rest.path("resource").forEach(resources::add);
        }
        resources.sort(Comparator.comparing(r -> r.path("type").asText()));
        Map<String, List<Views.SearchParam>> out = new LinkedHashMap<>();
        for (JsonNode r : resources) {
            List<Views.SearchParam> params = new ArrayList<>();
            for (JsonNode p : r.path("searchParam")) {
                params.add(new Views.SearchParam(p.path("name").asText(), p.path("type").asText(),
                        p.path("documentation").asText("")));
            }
            params.sort(Comparator.comparing(Views.SearchParam::name));
            out.put(r.path("type").asText(), List.copyOf(params));
        }
        return out;
    }
}
