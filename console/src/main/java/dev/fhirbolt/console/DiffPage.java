package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code /console/diff/{type}/{id}?from=1&to=2}: what changed between two versions of a resource. */
final class DiffPage {

    Rendered show(Visit v, String type, String id) {
        EditPage.check(type, id);
        String from = v.param("from");
        String to = v.param("to");
        if (from == null || to == null || !ResourcePage.ID.matcher(from).matches()
                || !ResourcePage.ID.matcher(to).matches()) {
            throw new ConsoleException(400, "Name the two versions to compare: ?from=1&to=2.");
        }
        String a = JsonTexts.pretty(withoutMeta(v.fhir().get("/" + type + "/" + id + "/_history/" + from)));
        String b = JsonTexts.pretty(withoutMeta(v.fhir().get("/" + type + "/" + id + "/_history/" + to)));
        var lines = LineDiff.compact(LineDiff.diff(a, b), 3);
        return Rendered.page("diff.jte", new EditViews.Diff(v.frame(type + "/" + id + ": version " + from + " → "
                + to, "search"), type, id, from, to, lines, a.equals(b)));
    }

    /** The version id and time always differ; the diff shows what the authors changed. */
    static JsonNode withoutMeta(JsonNode r) {
        if (r instanceof ObjectNode o && o.get("meta") instanceof ObjectNode meta) {
            ObjectNode copy = o.deepCopy();
            ObjectNode m = meta.deepCopy();
            m.remove("versionId");
            m.remove("lastUpdated");
            if (m.isEmpty()) {
                copy.remove("meta");
            } else {
                copy.set("meta", m);
            }
            return copy;
        }
        return r;
    }
}
