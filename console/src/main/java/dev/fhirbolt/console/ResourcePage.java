package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One resource (or one version of it): its narrative (sanitized), pretty JSON with its references as links or, with
 * {@code ?view=xml}, its FHIR XML, and its history.
 */
final class ResourcePage {

    static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");
    static final Pattern ID = Pattern.compile("[A-Za-z0-9.-]{1,64}");

    Rendered show(Visit v, String type, String id, String version) {
        if (!TYPE.matcher(type).matches() || !ID.matcher(id).matches()
                || (version != null && !ID.matcher(version).matches())) {
            throw new ConsoleException(400, "Not a resource address: " + type + "/" + id);
        }
        String path = "/" + type + "/" + id + (version == null ? "" : "/_history/" + version);
        JsonNode r = v.fhir().get(path);
        List<Views.HistoryRow> history = new ArrayList<>();
        String historyError = null;
        try {
            JsonNode bundle = v.fhir().get("/" + type + "/" + id + "/_history?_count=50");
            for (JsonNode e : bundle.path("entry")) {
                String vid = e.path("resource").path("meta").path("versionId").asText(
                        versionOf(e.path("fullUrl").asText()));
                history.add(new Views.HistoryRow(vid, e.path("resource").path("meta").path("lastUpdated")
                        .asText(e.path("response").path("lastModified").asText("")),
                        e.path("request").path("method").asText(""),
                        "/console/resource/" + type + "/" + id + "/_history/" + vid));
            }
        } catch (ConsoleException e) {
            historyError = "History is not available: " + e.getMessage();
        }
        String title = type + "/" + id + (version == null ? "" : " version " + version);
        String label = Summaries.text(r);
        boolean xml = "xml".equals(v.param("view"));
        return Rendered.page("resource.jte", new Views.Resource(v.frame(label.isEmpty() ? title : title + " · " + label,
                "search"), type, id, r.path("meta").path("versionId").asText(""),
                r.path("meta").path("lastUpdated").asText(""), xml ? "" : JsonHtml.render(r, v.fhir().baseUrl()),
                history, v.fhir().baseUrl() + path, type.equals("Patient"), historyError,
                Narratives.safeHtml(r.path("text").path("div").asText(null)), r.path("text").path("status").asText(""),
                xml ? xml(v, path) : null, "/console/resource" + path));
    }

    /** The resource as the server writes it in XML ({@code _format=xml}), through the gateway with the user's token. */
    private static String xml(Visit v, String path) {
        FhirGateway.Reply reply = v.fhir().call("GET", path + "?_format=xml&_pretty=true", null, null,
                java.util.Map.of("Accept", "application/fhir+xml"));
        if (reply.status() >= 400) {
            throw new ConsoleException(reply.status(), "The server did not give the XML: "
                    + FhirClient.outcomeText(JsonTexts.parse(reply.body()), reply.status()));
        }
        return reply.text();
    }

    private static String versionOf(String fullUrl) {
        int at = fullUrl.lastIndexOf("/_history/");
        return at < 0 ? "" : fullUrl.substring(at + 10);
    }
}
