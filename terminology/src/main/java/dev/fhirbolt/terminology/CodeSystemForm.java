package dev.fhirbolt.terminology;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * How a streamed CodeSystem is wrapped: in a transaction Bundle that PUTs it ({@code POST [base]}), or bare, as the
 * body of {@code POST [base]/CodeSystem/[id]/$upload}.
 */
public enum CodeSystemForm {
    TRANSACTION,
    UPLOAD;

    /** Writes what comes before the CodeSystem's own members (its {@code resourceType} and {@code id} included). */
    void start(JsonGenerator g, String id) throws IOException {
        if (this == TRANSACTION) {
            g.writeStartObject();
            g.writeStringField("resourceType", "Bundle");
            g.writeStringField("type", "transaction");
            g.writeArrayFieldStart("entry");
            g.writeStartObject();
            g.writeObjectFieldStart("resource");
        } else {
            g.writeStartObject();
        }
        g.writeStringField("resourceType", "CodeSystem");
        g.writeStringField("id", id);
    }

    /** Writes what comes after the CodeSystem's members (the CodeSystem's end included). */
    void end(JsonGenerator g, String id) throws IOException {
        g.writeEndObject();
        if (this == TRANSACTION) {
            g.writeObjectFieldStart("request");
            g.writeStringField("method", "PUT");
            g.writeStringField("url", "CodeSystem/" + id);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
