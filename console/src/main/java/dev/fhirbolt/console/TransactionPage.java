package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /console/transaction}: runs a transaction or batch Bundle pasted into the form (or read from a file into
 * it by the page's script) and shows every response entry.
 */
final class TransactionPage {

    Rendered show(Visit v) {
        return page(v, "", null, List.of(), null, List.of(), 200);
    }

    Rendered run(Visit v, Posted posted) {
        var fields = posted.form(EditPage.MAX_FORM);
        String text = Forms.first(fields, "bundle");
        text = text == null ? "" : text;
        JsonNode bundle = JsonTexts.parse(text.getBytes(StandardCharsets.UTF_8));
        String type = bundle.path("type").asText("");
        if (!"Bundle".equals(bundle.path("resourceType").asText()) || !(type.equals("transaction")
                || type.equals("batch"))) {
            return page(v, text, "Paste a JSON Bundle whose type is transaction or batch.", List.of(), null,
                    List.of(), 400);
        }
        FhirGateway.Reply r = v.fhir().call("POST", "/", "application/fhir+json",
                text.getBytes(StandardCharsets.UTF_8), Map.of());
        JsonNode body = JsonTexts.parse(r.body());
        if (r.status() >= 300) {
            return page(v, text, "The " + type + " was refused (" + r.status() + "); nothing was changed"
                    + (type.equals("batch") ? " by it" : "") + ":", Outcomes.issues(body), type, List.of(),
                    r.status() >= 500 ? 502 : r.status());
        }
        List<EditViews.EntryResult> entries = new ArrayList<>();
        int i = 0;
        int failed = 0;
        for (JsonNode e : body.path("entry")) {
            JsonNode resp = e.path("response");
            String status = resp.path("status").asText("");
            String location = resp.path("location").asText("");
            boolean bad = !status.startsWith("2");
            failed += bad ? 1 : 0;
            List<EditViews.Issue> issues = Outcomes.issues(resp.path("outcome"));
            String outcome = String.join("; ", issues.stream().map(EditViews.Issue::text).toList());
            entries.add(new EditViews.EntryResult(++i, status, location, link(location), outcome, bad));
        }
        return page(v, text, null, List.of(), type, entries, 200, failed);
    }

    private static String link(String location) {
        var refs = Outcomes.referencesIn(List.of(new EditViews.Issue("", "", location)), "");
        return refs.isEmpty() ? null : refs.get(0).href();
    }

    private static Rendered page(Visit v, String bundle, String message, List<EditViews.Issue> issues, String type,
            List<EditViews.EntryResult> entries, int status) {
        return page(v, bundle, message, issues, type, entries, status, 0);
    }

    private static Rendered page(Visit v, String bundle, String message, List<EditViews.Issue> issues, String type,
            List<EditViews.EntryResult> entries, int status, int failed) {
        return new Rendered(status, "transaction.jte", new EditViews.Transaction(v.frame("Transaction or batch",
                "search"), v.csrf(), bundle, message, issues, type, entries, failed), null);
    }
}
