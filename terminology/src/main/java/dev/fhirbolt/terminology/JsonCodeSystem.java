package dev.fhirbolt.terminology;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Turns a FHIR CodeSystem JSON file into a transaction Bundle that PUTs it as {@code CodeSystem/[id]}, copied token
 * by token: memory stays bounded by one token whatever the file's size. The given id replaces the file's; a given
 * URL, name or version replaces the file's too.
 */
public final class JsonCodeSystem {

    /** The CodeSystem's id, and what replaces the file's url, name and version when present. */
    public record Header(String id, Optional<String> url, Optional<String> name, Optional<String> version) {
    }

    private static final JsonFactory JSON = new JsonFactory();

    private JsonCodeSystem() {
    }

    /**
     * Writes the transaction Bundle and answers the number of concepts (nested ones included); {@code progress}
     * hears the bytes of the file read so far.
     */
    public static long write(InputStream in, Header header, OutputStream out, LongConsumer progress)
            throws IOException {
        return write(in, header, CodeSystemForm.TRANSACTION, out, progress);
    }

    /** {@link #write(InputStream, Header, OutputStream, LongConsumer)} in the given form (bare, for $upload). */
    public static long write(InputStream in, Header header, CodeSystemForm form, OutputStream out,
            LongConsumer progress) throws IOException {
        long count = 0;
        try (JsonParser p = JSON.createParser(in); JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the file is not a JSON object");
            }
            form.start(g, header.id());
            replace(g, "url", header.url());
            replace(g, "name", header.name());
            replace(g, "version", header.version());
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "resourceType" -> {
                        if (!"CodeSystem".equals(p.getText())) {
                            throw new IllegalArgumentException("the file holds a " + p.getText()
                                    + ", not a CodeSystem");
                        }
                    }
                    case "id" -> p.skipChildren();
                    case "url", "name", "version" -> {
                        if (given(header, field)) {
                            p.skipChildren();
                        } else {
                            g.writeFieldName(field);
                            g.copyCurrentStructure(p);
                        }
                    }
                    case "concept" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new IllegalArgumentException("'concept' is not an array");
                        }
                        g.writeFieldName(field);
                        count += copyConcepts(p, g, progress);
                    }
                    default -> {
                        g.writeFieldName(field);
                        g.copyCurrentStructure(p);
                    }
                }
            }
            progress.accept(p.currentLocation().getByteOffset());
            form.end(g, header.id());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        return count;
    }

    private static boolean given(Header header, String field) {
        return switch (field) {
            case "url" -> header.url().isPresent();
            case "name" -> header.name().isPresent();
            default -> header.version().isPresent();
        };
    }

    private static void replace(JsonGenerator g, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get());
        }
    }

    /** Copies the concept array the parser is at, event by event, counting concepts at every level of nesting. */
    private static long copyConcepts(JsonParser p, JsonGenerator g, LongConsumer progress) throws IOException {
        long count = 0;
        int depth = 0;
        JsonToken t = p.currentToken();
        do {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
                if (t == JsonToken.START_OBJECT && isConcept(p.getParsingContext()) && (++count & 1023) == 0) {
                    progress.accept(p.currentLocation().getByteOffset());
                }
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            }
            g.copyCurrentEvent(p);
            if (depth == 0) {
                return count;
            }
            t = p.nextToken();
        } while (t != null);
        throw new IllegalArgumentException("the file ends inside 'concept'");
    }

    private static boolean isConcept(JsonStreamContext object) {
        JsonStreamContext array = object.getParent();
        return array != null && array.inArray() && array.getParent() != null
                && "concept".equals(array.getParent().getCurrentName());
    }
}
