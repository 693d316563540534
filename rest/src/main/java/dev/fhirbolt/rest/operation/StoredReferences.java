package dev.fhirbolt.rest.operation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * The literal references of a stored resource, read from its stored JSON with a streaming parser: every string
 * value of a field named {@code reference} (contained resources' included), without building the HAPI model. A few
 * other elements share the name (uri elements such as Expression.reference): callers keep only {@code Type/id}
 * values of FHIR types.
 */
final class StoredReferences {

    private static final JsonFactory JSON = new JsonFactory();

    private StoredReferences() {
    }

    static void each(byte[] json, Consumer<String> out) {
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && p.currentName().equals("reference")
                        && p.nextToken() == JsonToken.VALUE_STRING) {
                    out.accept(p.getText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON that does not parse", e);
        }
    }
}
