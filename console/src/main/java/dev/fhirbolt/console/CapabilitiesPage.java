package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /metadata} for people: the server, its formats and security, and every resource type with its interactions
 * and the number of its search parameters (a link to its search page). The full statement is one click away.
 */
final class CapabilitiesPage {

    Rendered show(Visit v) {
        JsonNode cs = v.fhir().get("/metadata");
        List<Views.TypeSupport> types = new ArrayList<>();
        for (JsonNode rest : cs.path("rest")) {
            for (JsonNode r : rest.path("resource")) {
                List<String> interactions = new ArrayList<>();
                r.path("interaction").forEach(i -> interactions.add(i.path("code").asText()));
                types.add(new Views.TypeSupport(r.path("type").asText(), String.join(", ", interactions),
                        r.path("searchParam").size(), r.path("operation").size()));
            }
        }
        types.sort(java.util.Comparator.comparing(Views.TypeSupport::type));
        List<String> formats = new ArrayList<>();
        cs.path("format").forEach(f -> formats.add(f.asText()));
        JsonNode security = cs.path("rest").path(0).path("security");
        return Rendered.page("capabilities.jte", new Views.CapabilitiesView(v.frame("Capabilities", "metadata"),
                v.fhir().baseUrl() + "/metadata",
                cs.path("software").path("name").asText("") + " " + cs.path("software").path("version").asText(""),
                cs.path("fhirVersion").asText(""), String.join(", ", formats),
                security.path("description").asText(""), types));
    }
}
