package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /metadata} for people: the server, its formats and security, and every resource type with its interactions
 * and the number of its search parameters (a link to its search page). The full statement is one click away. The
 * statement is the one {@link Capabilities} keeps, and the page's summary of it is made once per statement read.
 */
final class CapabilitiesPage {

    /** The page's content for one statement read (the frame is the visitor's). */
    private record Summary(Capabilities.Read source, String software, String fhirVersion, String formats,
            String security, List<Views.TypeSupport> types) {
    }

    private final Capabilities capabilities;
    private volatile Summary summary;

    CapabilitiesPage(Capabilities capabilities) {
        this.capabilities = capabilities;
    }

    /** Streamed: the head is sent while the statement is read (when it is not kept already). */
    Rendered show(Visit v) {
        return Rendered.streamed(v.frame("Capabilities", "metadata"), "capabilities.jte", () -> view(v));
    }

    private Views.CapabilitiesView view(Visit v) {
        Capabilities.Read read = capabilities.read(v.fhir());
        Summary s = summary;
        if (s == null || s.source() != read) {
            s = summarize(read);
            summary = s;
        }
        return new Views.CapabilitiesView(v.fhir().baseUrl() + "/metadata", s.software(), s.fhirVersion(),
                s.formats(), s.security(), s.types());
    }

    private static Summary summarize(Capabilities.Read read) {
        JsonNode cs = read.statement();
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
        return new Summary(read, cs.path("software").path("name").asText("") + " "
                + cs.path("software").path("version").asText(""), cs.path("fhirVersion").asText(""),
                String.join(", ", formats), security.path("description").asText(""), List.copyOf(types));
    }
}
