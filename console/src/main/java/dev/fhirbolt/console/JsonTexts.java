package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;

/** Jackson for the console: lenient parsing into trees (an unreadable body is an empty tree) and pretty text. */
final class JsonTexts {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonTexts() {
    }

    static JsonNode parse(byte[] json) {
        if (json == null || json.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            return n == null ? MissingNode.getInstance() : n;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    static com.fasterxml.jackson.databind.node.ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A small object of name/value pairs (strings, numbers, booleans) as compact JSON. */
    static String of(Object... nameValues) {
        var o = MAPPER.createObjectNode();
        for (int i = 0; i < nameValues.length; i += 2) {
            o.set((String) nameValues[i], MAPPER.valueToTree(nameValues[i + 1]));
        }
        return o.toString();
    }

    static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return node.toString();
        }
    }
}
