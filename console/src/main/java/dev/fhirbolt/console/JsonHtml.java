package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pretty-prints a FHIR JSON resource as escaped HTML in which every reference ({@code "reference": "Patient/1"},
 * relative or under the server's base URL) is a link to the console's view of that resource.
 */
final class JsonHtml {

    private static final Pattern REFERENCE = Pattern.compile("([A-Z][A-Za-z]{1,63})/([A-Za-z0-9.-]{1,64})(/_history/[A-Za-z0-9.-]{1,64})?");

    private JsonHtml() {
    }

    static String render(JsonNode node, String baseUrl) {
        StringBuilder b = new StringBuilder(4096);
        write(node, null, 0, baseUrl, b);
        return b.toString();
    }

    /** The console path of a FHIR reference, or null when it does not point into this server. */
    static String consolePath(String reference, String baseUrl) {
        String r = reference;
        if (baseUrl != null && r.startsWith(baseUrl + "/")) {
            r = r.substring(baseUrl.length() + 1);
        }
        Matcher m = REFERENCE.matcher(r);
        if (!m.matches()) {
            return null;
        }
        return "/console/resource/" + m.group(1) + "/" + m.group(2)
                + (m.group(3) == null ? "" : m.group(3));
    }

    private static void write(JsonNode node, String field, int depth, String baseUrl, StringBuilder b) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                indent(depth + 1, b);
                b.append("<span class=\"k\">\"").append(Esc.html(f.getKey())).append("\"</span>: ");
                write(f.getValue(), f.getKey(), depth + 1, baseUrl, b);
                b.append(fields.hasNext() ? ",\n" : "\n");
            }
            indent(depth, b);
            b.append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append("[\n");
            for (int i = 0; i < node.size(); i++) {
                indent(depth + 1, b);
                write(node.get(i), field, depth + 1, baseUrl, b);
                b.append(i + 1 < node.size() ? ",\n" : "\n");
            }
            indent(depth, b);
            b.append(']');
        } else if (node.isTextual()) {
            String quoted = Esc.html(node.toString());
            String link = "reference".equals(field) ? consolePath(node.asText(), baseUrl) : null;
            if (link != null) {
                b.append("<a class=\"ref\" href=\"").append(Esc.html(link)).append("\">").append(quoted)
                        .append("</a>");
            } else {
                b.append("<span class=\"s\">").append(quoted).append("</span>");
            }
        } else {
            b.append("<span class=\"n\">").append(Esc.html(node.toString())).append("</span>");
        }
    }

    private static void indent(int depth, StringBuilder b) {
        b.append("  ".repeat(depth));
    }
}
