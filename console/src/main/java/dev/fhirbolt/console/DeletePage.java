package dev.fhirbolt.console;

import java.util.List;
import java.util.Map;

/** Deleting a resource after a confirmation; a refusal (409: others refer to it) names the referrers as links. */
final class DeletePage {

    /** {@code GET /console/delete/{type}/{id}}: the confirmation. */
    Rendered confirm(Visit v, String type, String id) {
        EditPage.check(type, id);
        v.fhir().get("/" + type + "/" + id); // 404 page when it is not there
        return page(v, type, id, null, List.of(), 200);
    }

    /** {@code POST /console/delete/{type}/{id}}. */
    Rendered delete(Visit v, Posted posted, String type, String id) {
        EditPage.check(type, id);
        posted.form(4096);
        FhirGateway.Reply r = v.fhir().call("DELETE", "/" + type + "/" + id, null, null, Map.of());
        if (r.status() < 300) {
            return Rendered.redirect("/console/search/" + type);
        }
        List<EditViews.Issue> issues = Outcomes.issues(JsonTexts.parse(r.body()));
        String message = r.status() == 409 ? "Not deleted: other resources refer to " + type + "/" + id + "."
                : "Not deleted: the server answered " + r.status() + ".";
        return page(v, type, id, message, issues, r.status() >= 500 ? 502 : r.status());
    }

    private static Rendered page(Visit v, String type, String id, String message, List<EditViews.Issue> issues,
            int status) {
        return new Rendered(status, "delete.jte", new EditViews.Delete(v.frame("Delete " + type + "/" + id, "search"),
                type, id, v.csrf(), message, issues, Outcomes.referencesIn(issues, type + "/" + id)), null);
    }
}
