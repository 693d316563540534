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
 * What the server's CapabilityStatement says about each resource type: its search parameters with their types.
 * The statement is public and the same for everyone, so it is read once and kept for a few minutes.
 */
final class Capabilities {

    private static final Duration KEEP = Duration.ofMinutes(5);

    private final Clock clock;
    private volatile Map<String, List<Views.SearchParam>> byType;
    private volatile Instant readAt = Instant.EPOCH;

    Capabilities(Clock clock) {
        this.clock = clock;
    }

    Map<String, List<Views.SearchParam>> byType(FhirClient fhir) {
        Map<String, List<Views.SearchParam>> known = byType;
        if (known != null && readAt.plus(KEEP).isAfter(clock.instant())) {
            return known;
        }
        Map<String, List<Views.SearchParam>> read = parse(fhir.get("/metadata"));
        byType = read;
        readAt = clock.instant();
        return read;
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
