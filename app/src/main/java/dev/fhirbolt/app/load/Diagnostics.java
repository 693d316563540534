package dev.fhirbolt.app.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The diagnostics of an OperationOutcome a server answered with, as one line for the command line. */
final class Diagnostics {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Diagnostics() {
    }

    static String of(JsonNode outcome) {
        if (outcome == null || outcome.isMissingNode()) {
            return "(no details)";
        }
        List<String> messages = new ArrayList<>();
        for (JsonNode issue : outcome.path("issue")) {
            messages.add(issue.path("diagnostics").asText(issue.path("code").asText("")));
        }
        return messages.isEmpty() ? "(no details)" : String.join("; ", messages);
    }

    /** From a response body: an OperationOutcome's diagnostics, or the start of whatever else it is. */
    static String of(byte[] body) {
        if (body == null || body.length == 0) {
            return "(no details)";
        }
        try {
            JsonNode root = MAPPER.readTree(body);
            if ("OperationOutcome".equals(root.path("resourceType").asText())) {
                return of(root);
            }
        } catch (java.io.IOException e) {
            // not JSON: shown as it is
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
