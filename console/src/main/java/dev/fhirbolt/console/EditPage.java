package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Creating and editing a resource as JSON: the form sends the text back with the version it was read at, which the
 * update carries as If-Match. A version conflict shows the current version and how it differs; the server's
 * OperationOutcome (a 400 or the validator's 422) is shown next to the form.
 */
final class EditPage {

    static final int MAX_FORM = 8 * 1024 * 1024;
    private static final String FHIR_JSON = "application/fhir+json";

    /** {@code GET /console/edit/{type}[/{id}]}. */
    Rendered show(Visit v, String type, String id) {
        check(type, id);
        if (id == null) {
            String json = "{\n  \"resourceType\": \"" + type + "\"\n}";
            return form(v, type, null, "", json, null, List.of(), null, 200);
        }
        JsonNode r = v.fhir().get("/" + type + "/" + id);
        return form(v, type, id, r.path("meta").path("versionId").asText(""), JsonTexts.pretty(r), null, List.of(),
                null, 200);
    }

    /** {@code POST /console/edit/{type}[/{id}]}: create or update, then the resource's page. */
    Rendered save(Visit v, Posted posted, String type, String id) {
        check(type, id);
        var fields = posted.form(MAX_FORM);
        String json = Forms.first(fields, "json");
        String version = Forms.first(fields, "version");
        json = json == null ? "" : json;
        JsonNode parsed = JsonTexts.parse(json.getBytes(StandardCharsets.UTF_8));
        if (!parsed.isObject()) {
            return form(v, type, id, version, json, "This is not a JSON object; check the brackets and quotes.",
                    List.of(), null, 400);
        }
        if (!type.equals(parsed.path("resourceType").asText())) {
            return form(v, type, id, version, json, "The resourceType must be " + type + ".", List.of(), null, 400);
        }
        Map<String, String> headers = version == null || version.isBlank() || id == null ? Map.of()
                : Map.of("If-Match", "W/\"" + version.replace("\"", "") + "\"");
        FhirGateway.Reply r = id == null
                ? v.fhir().call("POST", "/" + type, FHIR_JSON, json.getBytes(StandardCharsets.UTF_8), Map.of())
                : v.fhir().call("PUT", "/" + type + "/" + id, FHIR_JSON, json.getBytes(StandardCharsets.UTF_8),
                        headers);
        JsonNode body = JsonTexts.parse(r.body());
        if (r.status() < 300) {
            String newId = id != null ? id : body.path("id").asText(idFromLocation(r.header("Location"), type));
            return Rendered.redirect("/console/resource/" + type + "/" + newId);
        }
        if (r.status() == 412 || (r.status() == 409 && id != null && !headers.isEmpty())) {
            return conflict(v, type, id, version, json, 412);
        }
        List<EditViews.Issue> issues = Outcomes.issues(body);
        String message = switch (r.status()) {
            case 422 -> "The server did not accept the resource (validation):";
            case 403 -> "Your access does not allow this change:";
            case 400 -> "The server could not read the resource:";
            default -> "The server answered " + r.status() + ":";
        };
        return form(v, type, id, version, json, message, issues, null, r.status() >= 500 ? 502 : r.status());
    }

    private Rendered conflict(Visit v, String type, String id, String version, String json, int status) {
        JsonNode current = v.fhir().get("/" + type + "/" + id);
        String now = current.path("meta").path("versionId").asText("");
        List<LineDiff.Line> diff = LineDiff.compact(LineDiff.diff(
                JsonTexts.pretty(DiffPage.withoutMeta(current)),
                JsonTexts.pretty(DiffPage.withoutMeta(JsonTexts.parse(json.getBytes(StandardCharsets.UTF_8))))), 3);
        return form(v, type, id, version, json, "Version conflict: someone saved version " + now + " of " + type
                + "/" + id + " after you opened version " + version + ". Your text was not saved. Compare it with the"
                + " current version below, then open the current version to edit it again.", List.of(),
                new EditViews.Conflict(now, "/console/resource/" + type + "/" + id + "/_history/" + now, diff),
                status);
    }

    private static Rendered form(Visit v, String type, String id, String version, String json, String message,
            List<EditViews.Issue> issues, EditViews.Conflict conflict, int status) {
        String title = id == null ? "New " + type : "Edit " + type + "/" + id;
        return new Rendered(status, "edit.jte", new EditViews.Edit(v.frame(title, "search"), type, id,
                version == null ? "" : version, json, v.csrf(), message, issues, conflict), null);
    }

    static void check(String type, String id) {
        if (!ResourcePage.TYPE.matcher(type).matches() || (id != null && !ResourcePage.ID.matcher(id).matches())) {
            throw new ConsoleException(400, "Not a resource address: " + type + (id == null ? "" : "/" + id));
        }
    }

    private static String idFromLocation(String location, String type) {
        if (location == null) {
            return "";
        }
        String after = location.substring(location.indexOf("/" + type + "/") + type.length() + 2);
        int h = after.indexOf("/_history");
        return h < 0 ? after : after.substring(0, h);
    }
}
