package dev.fhirbolt.terminology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a FHIR CodeSystem JSON document as it arrives and writes its concepts to a {@link ConceptStore} in batches:
 * nested concepts are flattened (each records the ordinal it was nested in), every concept is checked
 * ({@link ConceptRecords}) and codes must be unique. What is kept in memory is the CodeSystem without its concepts,
 * the concepts on the path from the top to the one being read, and what the writer collects for its next batch
 * (a code seen before is found there or in the store's index).
 */
public final class StreamedConcepts {

    /** The CodeSystem without its concepts, and how many concepts it had (nested ones included). */
    public record Result(ObjectNode header, int count) {
    }

    /** The document is not a CodeSystem this reader can take: a 400, with the place when it is known. */
    public static final class MalformedException extends RuntimeException {
        MalformedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final JsonFactory JSON = ConceptRecords.JSON.getFactory();

    private final ConceptStore.Writer out;
    private int count;

    private StreamedConcepts(ConceptStore.Writer out) {
        this.out = out;
    }

    /**
     * Reads the document; the concepts are in the store when this returns (flushed). On an exception some may have
     * been written: the caller deletes the upload.
     */
    public static Result read(InputStream in, ConceptStore.Writer out) throws IOException {
        StreamedConcepts reader = new StreamedConcepts(out);
        try (JsonParser p = JSON.createParser(in)) {
            try {
                ObjectNode header = reader.document(p);
                out.finish(reader.count);
                return new Result(header, reader.count);
            } catch (JsonProcessingException e) {
                throw new MalformedException("not valid JSON: " + e.getOriginalMessage() + " at line "
                        + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
            } catch (IllegalArgumentException e) {
                throw new MalformedException(e.getMessage() + " (at line " + p.currentLocation().getLineNr()
                        + ", column " + p.currentLocation().getColumnNr() + ")", e);
            }
        }
    }

    private ObjectNode document(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        ObjectNode header = ConceptRecords.JSON.createObjectNode();
        boolean concepts = false;
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("concept")) {
                if (value != JsonToken.START_ARRAY || concepts) {
                    throw new IllegalArgumentException("'concept' must be one array");
                }
                concepts = true;
                conceptArray(p, -1);
            } else {
                if (header.has(field)) {
                    throw new IllegalArgumentException("the member '" + field + "' is there twice");
                }
                header.set(field, ConceptRecords.JSON.readTree(p));
            }
        }
        if (p.nextToken() != null) {
            throw new IllegalArgumentException("there is more after the CodeSystem");
        }
        JsonNode type = header.get("resourceType");
        if (type == null || !"CodeSystem".equals(type.asText())) {
            throw new IllegalArgumentException("the body is a " + (type == null ? "JSON object without resourceType"
                    : type.asText()) + ", not a CodeSystem");
        }
        if (count == 0) {
            throw new IllegalArgumentException("the CodeSystem has no concepts to upload");
        }
        return header;
    }

    /** The concepts of an array the parser is at the start of, nested in {@code parent} (-1: top level). */
    private void conceptArray(JsonParser p, int parent) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a concept must be a JSON object");
            }
            concept(p, parent);
        }
    }

    /** One concept (the parser is at its start) and, depth first, the concepts nested in it. */
    private void concept(JsonParser p, int parent) throws IOException {
        int ordinal = count++;
        ObjectNode c = ConceptRecords.JSON.createObjectNode();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("concept")) {
                if (value != JsonToken.START_ARRAY) {
                    throw new IllegalArgumentException("'concept' must be an array");
                }
                conceptArray(p, ordinal);
            } else if (c.has(field) || field.equals(ConceptRecords.NESTED_IN)) {
                throw new IllegalArgumentException("the member '" + field + "' is there twice in a concept");
            } else {
                c.set(field, ConceptRecords.JSON.readTree(p));
            }
        }
        var concept = ConceptRecords.read(c, false);
        String code = concept.getCode();
        if (out.has(code)) {
            throw new IllegalArgumentException("the code '" + code + "' is defined twice (csd-1: codes must be"
                    + " unique)");
        }
        if (parent >= 0) {
            c.put(ConceptRecords.NESTED_IN, parent);
        }
        out.put(ordinal, ConceptRecords.JSON.writeValueAsBytes(c), concept, parent);
    }
}
