package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The resource browser's search: a form that knows the type's search parameters (from the CapabilityStatement), the
 * FHIR query it runs, and the paged results. The page's own query is the FHIR query, so every result page has a URL.
 */
final class SearchPage {

    private static final Pattern ROW = Pattern.compile("[nv]\\d{1,2}");
    private static final int BLANK_ROWS = 2;

    private final Capabilities capabilities;

    SearchPage(Capabilities capabilities) {
        this.capabilities = capabilities;
    }

    /** {@code /console/search}: the type picker; a chosen type goes to its own page. */
    Rendered types(Visit v) {
        String chosen = v.param("type");
        List<String> types = capabilities.types(v.fhir());
        if (chosen != null && types.contains(chosen)) {
            return Rendered.redirect("/console/search/" + chosen);
        }
        return Rendered.streamed(v.frame("Resources", "search"), "search.jte", () -> new Views.Search(types, null,
                List.of(), List.of(), "", "", null, null, List.of(), "", null, null, null));
    }

    /** {@code /console/search/{type}}: the form, filled from the query, and the results of running it. */
    Rendered search(Visit v, String type) {
        Map<String, List<Views.SearchParam>> known = capabilities.byType(v.fhir());
        if (!known.containsKey(type)) {
            throw new ConsoleException(404, "This server has no resource type " + type + ".");
        }
        if (v.query().stream().anyMatch(e -> ROW.matcher(e.getKey()).matches())) {
            return Rendered.redirect("/console/search/" + type + fhirQuery(v.query()));
        }
        String query = v.rawQuery() == null || v.rawQuery().isEmpty() ? "" : "?" + v.rawQuery();
        if (v.param("_count") == null) {
            query += (query.isEmpty() ? "?" : "&") + "_count=" + Views.Search.PAGE_SIZE;
        }
        List<Views.Criterion> criteria = new ArrayList<>();
        for (Map.Entry<String, String> e : v.query()) {
            if (!e.getKey().equals("_count") && !e.getKey().equals("_sort")) {
                criteria.add(new Views.Criterion(e.getKey(), e.getValue()));
            }
        }
        for (int i = 0; i < BLANK_ROWS; i++) {
            criteria.add(new Views.Criterion("", ""));
        }
        String typeUrl = v.fhir().baseUrl() + "/" + type;
        String fhirQuery = query;
        return Rendered.streamed(v.frame(type, "search"), "search.jte", () -> results(v, type, known, criteria,
                typeUrl, fhirQuery));
    }

    /** The form, filled, and the results of running its query (the page's content, made while its head is sent). */
    private static Views.Search results(Visit v, String type, Map<String, List<Views.SearchParam>> known,
            List<Views.Criterion> criteria, String typeUrl, String query) {
        List<Views.ResultRow> rows = new ArrayList<>();
        String total = "";
        String previous = null;
        String next = null;
        String error = null;
        try {
            JsonNode bundle = v.fhir().get("/" + type + query);
            for (JsonNode entry : bundle.path("entry")) {
                JsonNode r = entry.path("resource");
                String date = Summaries.date(r);
                String summary = Summaries.text(r) + (date.isEmpty() ? "" : " · " + date);
                rows.add(new Views.ResultRow(r.path("resourceType").asText(), r.path("id").asText(), summary,
                        r.path("meta").path("lastUpdated").asText("")));
            }
            total = bundle.has("total") ? bundle.path("total").asLong() + " found" : rows.size() + " on this page";
            for (JsonNode link : bundle.path("link")) {
                String url = consoleLink(link.path("url").asText(), v.fhir().baseUrl());
                switch (link.path("relation").asText()) {
                    case "next" -> next = url;
                    case "previous", "prev" -> previous = url;
                    default -> { }
                }
            }
        } catch (ConsoleException e) {
            error = e.getMessage();
        }
        return new Views.Search(List.copyOf(known.keySet()), type, known.get(type), criteria,
                v.param("_count") == null ? "" : v.param("_count"), v.param("_sort") == null ? "" : v.param("_sort"),
                typeUrl, typeUrl + query, rows, total, previous, next, error);
    }

    /** The FHIR query of a submitted form: its filled rows in order, then page size and sort. */
    static String fhirQuery(List<Map.Entry<String, String>> form) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : form) {
            if (ROW.matcher(e.getKey()).matches()) {
                (e.getKey().charAt(0) == 'n' ? names : values).put(e.getKey().substring(1), e.getValue().trim());
            }
        }
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, String> n : names.entrySet()) {
            String value = values.getOrDefault(n.getKey(), "");
            if (!n.getValue().isEmpty() && !value.isEmpty()) {
                q.append(q.isEmpty() ? "?" : "&").append(Forms.encode(n.getValue())).append('=')
                        .append(Forms.encode(value));
            }
        }
        for (String p : new String[] {"_count", "_sort"}) {
            String value = Forms.first(form, p);
            if (value != null && !value.isBlank()) {
                q.append(q.isEmpty() ? "?" : "&").append(p).append('=').append(Forms.encode(value.trim()));
            }
        }
        return q.toString().replace("%2C", ",").replace("%3A", ":").replace("%7C", "|");
    }

    /** A FHIR URL of this server as the console URL that shows it. */
    static String consoleLink(String fhirUrl, String baseUrl) {
        if (fhirUrl.startsWith(baseUrl + "/")) {
            return "/console/fhir/" + fhirUrl.substring(baseUrl.length() + 1);
        }
        return null;
    }
}
