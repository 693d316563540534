package dev.fhirbolt.terminology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;

/**
 * The top-level {@code url} and {@code version} of a stored resource's JSON, read without building the resource: a
 * large CodeSystem is skipped over, not parsed, when a write is followed.
 */
final class CanonicalPeek {

    private static final JsonFactory JSON = new JsonFactory();

    record Canonical(String url, String version) {
    }

    private CanonicalPeek() {
    }

    static Optional<Canonical> of(byte[] json) {
        String url = null;
        String version = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING && name.equals("url")) {
                    url = p.getText();
                } else if (value == JsonToken.VALUE_STRING && name.equals("version")) {
                    version = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return url == null ? Optional.empty() : Optional.of(new Canonical(url, version));
    }
}
