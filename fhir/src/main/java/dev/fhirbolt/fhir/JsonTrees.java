package dev.fhirbolt.fhir;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads a JSON body into the Jackson tree HAPI's JSON parser would build from it (the reader settings of HAPI 8.8's
 * {@code JacksonStructure}), but straight from the bytes, so the tree can be kept and reused for the stored JSON.
 */
final class JsonTrees {

    /** The settings of {@code ca.uhn.fhir.parser.json.jackson.JacksonStructure#createObjectMapper}. */
    private static final ObjectMapper HAPI_READER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .nodeFactory(new JsonNodeFactory(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .enable(JsonParser.Feature.ALLOW_SINGLE_QUOTES)
            .build();

    static {
        HAPI_READER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build());
    }

    private JsonTrees() {
    }

    /**
     * The body's tree, or null when HAPI should read the body itself: whenever it is not plainly a UTF-8 JSON object
     * (another first character, a byte-order mark, bytes Jackson would take for UTF-16 or UTF-32, malformed JSON or
     * malformed UTF-8, which HAPI's reader replaces), so every error message and every lenient decoding stays HAPI's.
     */
    static ObjectNode read(byte[] body) {
        if (!startsAsUtf8Object(body)) {
            return null;
        }
        try {
            JsonNode tree = HAPI_READER.readTree(body);
            return tree instanceof ObjectNode object ? object : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whitespace then '{', as HAPI requires, and no zero byte where Jackson looks for the encoding. */
    private static boolean startsAsUtf8Object(byte[] body) {
        for (int i = 0; i < Math.min(4, body.length); i++) {
            if (body[i] == 0) {
                return false;
            }
        }
        for (byte b : body) {
            if (b == '{') {
                return true;
            }
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return false;
    }
}
