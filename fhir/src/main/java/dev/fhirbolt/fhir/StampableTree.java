package dev.fhirbolt.fhir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes a resource's stored JSON from the JSON tree it was parsed from, as HAPI's encoder would write the model (up
 * to the order of object members), without HAPI's reflective encoder: the resource's id, a meta with the version
 * placeholder in place of the client's versionId and lastUpdated, the references as resolved, and the narrative as
 * HAPI re-serializes it. Everything else is copied.
 *
 * <p>Copying is only right where HAPI's encoder writes back what its parser read. Wherever it might not, this gives
 * up while writing ({@link Outcome#fallback}) and the model is encoded by HAPI instead: JSON null, empty objects,
 * arrays and blank strings (HAPI drops them), primitive extensions ({@code _x}), comments, nested resources other
 * than plain referenced contained ones, decimals in exponent notation (HAPI re-renders them), base64 that is not in
 * canonical form (HAPI re-encodes it), references HAPI would rewrite (versioned, or without a resource type) and
 * narratives elsewhere than the resource's own text.
 */
final class StampableTree {

    private static final JsonFactory JSON = new JsonFactory();
    /** One output buffer per thread: a fresh one per resource cost about 9 KB of garbage each. */
    private static final ThreadLocal<ByteArrayOutputStream> BUFFER =
            ThreadLocal.withInitial(() -> new ByteArrayOutputStream(16 * 1024));
    /** A buffer grown past this by a very large resource is not kept. */
    private static final int MAX_KEPT_BUFFER = 1024 * 1024;

    /** The tree's JSON, or why HAPI must encode the model instead. */
    record Outcome(byte[] json, String fallback) {
    }

    private static final class Fallback extends Exception {
        Fallback(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Resource resource;
    private final ResourceJson source;
    private final JsonGenerator out;
    /** Per original value of a changed reference, how many strings named "reference" the tree holds. */
    private final Map<String, Integer> changedInTree = new HashMap<>();
    private final Set<String> containedIds = new HashSet<>();
    private final Set<String> localReferences = new HashSet<>();

    private StampableTree(Resource resource, ResourceJson source, JsonGenerator out) {
        this.resource = resource;
        this.source = source;
        this.out = out;
    }

    /** The stored JSON of {@code resource} (its id already set) written from the tree it was parsed from. */
    static Outcome write(Resource resource, ResourceJson source) {
        ObjectNode root = source.tree();
        String id = resource.getIdElement().getIdPart();
        if (!source.consistent() || id == null || !resource.fhirType().equals(root.path("resourceType").asText())) {
            return new Outcome(null, "tree and model differ");
        }
        ByteArrayOutputStream bytes = BUFFER.get();
        bytes.reset();
        try {
            try (JsonGenerator g = JSON.createGenerator(bytes)) {
                new StampableTree(resource, source, g).root(root, id);
            }
            return new Outcome(bytes.toByteArray(), null);
        } catch (Fallback f) {
            return new Outcome(null, f.getMessage());
        } catch (IOException | RuntimeException e) {
            return new Outcome(null, "not writable: " + e.getMessage());
        } finally {
            if (bytes.size() > MAX_KEPT_BUFFER) {
                BUFFER.remove();
            }
        }
    }

    private void root(ObjectNode root, String id) throws IOException, Fallback {
        out.writeStartObject();
        out.writeStringField("resourceType", resource.fhirType());
        out.writeStringField("id", id);
        meta(root.get("meta"));
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            switch (name) {
                case "resourceType", "id", "meta" -> { }
                case "contained" -> contained(field.getValue());
                case "text" -> text(field.getValue());
                default -> field(name, field.getValue());
            }
        }
        out.writeEndObject();
        for (Map.Entry<String, Integer> changed : changedInTree.entrySet()) {
            if (changed.getValue() != source.countInModel(changed.getKey())) {
                throw new Fallback("a changed reference value is also held by an element that is no Reference");
            }
        }
        if (!containedIds.equals(localReferences)) {
            throw new Fallback("contained resources and local references do not match one to one");
        }
    }

    /**
     * Contained resources as HAPI writes them back: in their order, each with its id, when each is referenced
     * ({@code #id}) and has no meta or narrative of its own (which HAPI might treat otherwise).
     */
    private void contained(JsonNode contained) throws IOException, Fallback {
        if (!contained.isArray() || contained.isEmpty()) {
            throw new Fallback("unusual contained");
        }
        out.writeArrayFieldStart("contained");
        for (JsonNode item : contained) {
            String type = item.path("resourceType").asText("");
            String id = item.path("id").asText("");
            if (!(item instanceof ObjectNode resource) || type.isEmpty() || id.isBlank() || id.startsWith("#")
                    || resource.has("meta") || resource.has("text") || !containedIds.add(id)) {
                throw new Fallback("unusual contained resource");
            }
            out.writeStartObject();
            out.writeStringField("resourceType", type);
            out.writeStringField("id", id);
            for (Map.Entry<String, JsonNode> field : resource.properties()) {
                if (!field.getKey().equals("resourceType") && !field.getKey().equals("id")) {
                    field(field.getKey(), field.getValue());
                }
            }
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    /** The client's meta without versionId and lastUpdated, and the placeholder {@link StampableJson} stamps. */
    private void meta(JsonNode meta) throws IOException, Fallback {
        out.writeObjectFieldStart("meta");
        out.writeStringField("versionId", StampableJson.VERSION_PLACEHOLDER);
        if (meta != null) {
            if (!(meta instanceof ObjectNode object)) {
                throw new Fallback("meta is not an object");
            }
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (!field.getKey().equals("versionId") && !field.getKey().equals("lastUpdated")) {
                    field(field.getKey(), field.getValue());
                }
            }
        }
        out.writeEndObject();
    }

    /** The narrative, its div as HAPI serializes the parsed XHTML (it does not keep the client's text). */
    private void text(JsonNode text) throws IOException, Fallback {
        if (!(text instanceof ObjectNode object) || object.isEmpty()
                || !(resource instanceof DomainResource domain) || !domain.hasText()) {
            throw new Fallback("unusual narrative");
        }
        out.writeObjectFieldStart("text");
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (field.getKey().equals("div")) {
                String div = domain.getText().getDiv().getValueAsString();
                if (div == null || div.isBlank() || !field.getValue().isTextual()) {
                    throw new Fallback("unusual narrative");
                }
                out.writeStringField("div", div);
            } else {
                field(field.getKey(), field.getValue());
            }
        }
        out.writeEndObject();
    }

    private void field(String name, JsonNode value) throws IOException, Fallback {
        if (name.startsWith("_") || name.equals("fhir_comments")) {
            throw new Fallback("primitive extension or comment: " + name);
        }
        if (name.equals("resourceType") || name.equals("contained") || name.equals("div")) {
            throw new Fallback("nested resource or narrative: " + name);
        }
        out.writeFieldName(name);
        if (name.equals("reference") && value.isTextual()) {
            out.writeString(reference(value.textValue()));
        } else {
            if (Base64Elements.isBase64Name(name)) {
                requireCanonicalBase64(name, value);
            }
            value(value);
        }
    }

    private static void requireCanonicalBase64(String name, JsonNode value) throws Fallback {
        Iterable<JsonNode> items = value.isArray() ? value : List.of(value);
        for (JsonNode item : items) {
            if (item.isTextual() && !Base64Elements.isCanonical(item.textValue())) {
                throw new Fallback("base64 not in canonical form: " + name);
            }
        }
    }

    private void value(JsonNode value) throws IOException, Fallback {
        switch (value.getNodeType()) {
            case OBJECT -> {
                if (value.isEmpty()) {
                    throw new Fallback("empty object");
                }
                out.writeStartObject();
                for (Map.Entry<String, JsonNode> field : value.properties()) {
                    field(field.getKey(), field.getValue());
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                if (value.isEmpty()) {
                    throw new Fallback("empty array");
                }
                out.writeStartArray();
                for (JsonNode item : (ArrayNode) value) {
                    value(item);
                }
                out.writeEndArray();
            }
            case STRING -> {
                if (value.textValue().isBlank()) {
                    throw new Fallback("blank string");
                }
                out.writeString(value.textValue());
            }
            case NUMBER -> {
                if (value.isBigDecimal()) {
                    // HAPI keeps a decimal as BigDecimal#toString of its plain form: the same text unless the scale
                    // is negative (1E+3 becomes 1000)
                    if (value.decimalValue().scale() < 0) {
                        throw new Fallback("decimal in exponent notation");
                    }
                    out.writeNumber(value.decimalValue());
                } else if (value.isIntegralNumber()) {
                    out.writeNumber(value.bigIntegerValue());
                } else {
                    throw new Fallback("floating point number");
                }
            }
            case BOOLEAN -> out.writeBoolean(value.booleanValue());
            default -> throw new Fallback("JSON " + value.getNodeType());
        }
    }

    /**
     * The reference as resolved, if HAPI writes it as it is: HAPI strips a version ({@code /_history/n}) and puts the
     * resource type before a reference that lacks one when the Bundle linked it to an entry, which the tree cannot
     * tell; a reference with a resource type and an id and no version it writes unchanged.
     */
    private String reference(String original) throws Fallback {
        if (original.startsWith("#") && original.length() > 1 && !source.changed(original)) {
            localReferences.add(original.substring(1));
            return original;
        }
        if (source.changed(original)) {
            changedInTree.merge(original, 1, Integer::sum);
        }
        String value = source.reference(original);
        IdType id = new IdType(value);
        if (!id.hasResourceType() || !id.hasIdPart() || id.hasVersionIdPart() || id.isLocal()) {
            throw new Fallback("reference HAPI may rewrite: " + value);
        }
        return value;
    }
}
