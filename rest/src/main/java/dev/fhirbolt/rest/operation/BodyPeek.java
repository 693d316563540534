package dev.fhirbolt.rest.operation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.fhirbolt.fhir.FhirFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resource type and id of a body without parsing it as a resource, for bodies handed to the validator as text
 * (which may be invalid as FHIR, and must then still be answered with the validator's issues).
 */
final class BodyPeek {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern XML_ROOT = Pattern.compile("<(?:[A-Za-z_][\\w.-]*:)?([A-Za-z]+)[\\s>/]");
    private static final Pattern XML_ID = Pattern.compile("<id\\s+value\\s*=\\s*\"([^\"]*)\"");

    private BodyPeek() {
    }

    static Optional<String> resourceType(byte[] body, FhirFormat format) {
        return format == FhirFormat.JSON ? topLevel(body, "resourceType") : xmlRoot(body);
    }

    static Optional<String> id(byte[] body, FhirFormat format) {
        if (format == FhirFormat.JSON) {
            return topLevel(body, "id");
        }
        Matcher m = XML_ID.matcher(new String(body, StandardCharsets.UTF_8));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<String> topLevel(byte[] body, String field) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(field) && value == JsonToken.VALUE_STRING) {
                    return Optional.of(p.getText());
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> xmlRoot(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        Matcher m = XML_ROOT.matcher(text);
        while (m.find()) {
            int start = m.start();
            if (start + 1 < text.length() && text.charAt(start + 1) != '?' && text.charAt(start + 1) != '!') {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
