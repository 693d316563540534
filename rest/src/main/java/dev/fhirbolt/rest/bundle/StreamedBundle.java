package dev.fhirbolt.rest.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.JsonBodyCheck;
import dev.fhirbolt.fhir.ResourceReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Resource;

/**
 * A large JSON Bundle read one entry at a time instead of as a whole: one streaming pass finds where each entry's
 * bytes are, then {@link #entry} parses a single entry (with the same strict checks as a whole Bundle) whenever it is
 * needed. Only the body and the entries' offsets are kept, so a transaction's model never exists all at once.
 */
final class StreamedBundle {

    /** JSON Bundles from this size on are read entry by entry. */
    static final long MIN_BYTES = 4L * 1024 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();
    private static final byte[] PREFIX_START = "{\"resourceType\":\"Bundle\",\"type\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PREFIX_END = "\",\"entry\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

    private final byte[] body;
    private final long[] offsets; // start and end (exclusive) of each entry, packed: start << 32 | length
    private final String type;

    private StreamedBundle(byte[] body, long[] offsets, String type) {
        this.body = body;
        this.offsets = offsets;
        this.type = type;
    }

    /** The Bundle type of a JSON body, read without building anything; empty when the body has none or is not JSON. */
    static Optional<String> typeOf(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("type") && value == JsonToken.VALUE_STRING) {
                    return Optional.of(p.getText());
                }
                p.skipChildren();
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Finds the entries of a JSON Bundle body and checks everything but the entries (a Bundle with no entry array,
     * or malformed JSON, is empty: the whole-Bundle reader then says what is wrong with it).
     */
    static Optional<StreamedBundle> of(byte[] json) {
        JsonBodyCheck.check(json);
        long[] offsets = new long[64];
        int count = 0;
        int arrayStart = -1;
        int arrayEnd = -1;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("entry") || value != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                arrayStart = (int) p.currentTokenLocation().getByteOffset();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.START_OBJECT) {
                        return Optional.empty();
                    }
                    long start = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    long end = p.currentTokenLocation().getByteOffset() + 1;
                    if (count == offsets.length) {
                        offsets = Arrays.copyOf(offsets, count * 2);
                    }
                    offsets[count++] = start << 32 | (end - start);
                }
                arrayEnd = (int) p.currentTokenLocation().getByteOffset() + 1;
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (arrayStart < 0 || count == 0) {
            return Optional.empty();
        }
        // the Bundle without its entries, read as any Bundle is: its own elements get the usual checks
        byte[] shell = new byte[json.length - (arrayEnd - arrayStart) + 2];
        System.arraycopy(json, 0, shell, 0, arrayStart);
        shell[arrayStart] = '[';
        shell[arrayStart + 1] = ']';
        System.arraycopy(json, arrayEnd, shell, arrayStart + 2, json.length - arrayEnd);
        Resource resource = ResourceReader.read(shell, FhirFormat.JSON);
        if (!(resource instanceof Bundle bundle) || !bundle.hasType()) {
            return Optional.empty();
        }
        return Optional.of(new StreamedBundle(json, Arrays.copyOf(offsets, count), bundle.getType().toCode()));
    }

    int size() {
        return offsets.length;
    }

    /** The bytes of entry {@code index} in the body. */
    int length(int index) {
        return (int) offsets[index];
    }

    String type() {
        return type;
    }

    /** Entry {@code index} parsed afresh (its resource keeps the JSON tree it was read from, as a whole Bundle's do). */
    BundleEntryComponent entry(int index) {
        int start = (int) (offsets[index] >>> 32);
        int length = (int) offsets[index];
        byte[] typeBytes = type.getBytes(StandardCharsets.UTF_8);
        byte[] one = new byte[PREFIX_START.length + typeBytes.length + PREFIX_END.length + length + SUFFIX.length];
        int at = put(one, 0, PREFIX_START);
        at = put(one, at, typeBytes);
        at = put(one, at, PREFIX_END);
        System.arraycopy(body, start, one, at, length);
        put(one, at + length, SUFFIX);
        Resource resource;
        try {
            resource = ResourceReader.read(one, FhirFormat.JSON);
        } catch (FhirException e) {
            throw new FhirException(e.status(), e.issueType(), "entry " + index + ": " + e.getMessage(),
                    "Bundle.entry[" + index + "]", e);
        }
        return ((Bundle) resource).getEntryFirstRep();
    }

    private static int put(byte[] target, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, target, at, bytes.length);
        return at + bytes.length;
    }
}
