package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** OperationOutcomes as the console shows them: one line per issue, and the resources they name as links. */
final class Outcomes {

    private static final Pattern REFERENCE = Pattern.compile("\\b([A-Z][A-Za-z]{1,63})/([A-Za-z0-9.-]{1,64})\\b");

    private Outcomes() {
    }

    static List<EditViews.Issue> issues(JsonNode outcome) {
        List<EditViews.Issue> out = new ArrayList<>();
        for (JsonNode issue : outcome.path("issue")) {
            String text = issue.path("diagnostics").asText(issue.path("details").path("text").asText(""));
            List<String> where = new ArrayList<>();
            issue.path("expression").forEach(e -> where.add(e.asText()));
            if (where.isEmpty()) {
                issue.path("location").forEach(e -> where.add(e.asText()));
            }
            out.add(new EditViews.Issue(issue.path("severity").asText("error"), String.join(", ", where),
                    text.isEmpty() ? issue.path("code").asText("") : text));
        }
        return out;
    }

    /** The {@code Type/id} references named in the issues' texts, except the given one, as console links. */
    static List<EditViews.Ref> referencesIn(List<EditViews.Issue> issues, String except) {
        Set<String> seen = new LinkedHashSet<>();
        for (EditViews.Issue i : issues) {
            Matcher m = REFERENCE.matcher(i.text() + " " + i.location());
            while (m.find()) {
                if (!m.group().equals(except)) {
                    seen.add(m.group());
                }
            }
        }
        return seen.stream().map(r -> new EditViews.Ref(r, "/console/resource/" + r)).toList();
    }
}
