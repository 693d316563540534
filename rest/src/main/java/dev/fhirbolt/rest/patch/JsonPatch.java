package dev.fhirbolt.rest.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceVersion;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Resource;

/** RFC 6902 JSON Patch over Jackson's tree model: add, remove, replace, move, copy and test. */
public final class JsonPatch implements PatchDocument {

    public static final String MEDIA_TYPE = "application/json-patch+json";
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** One operation, checked for its required members. */
    record Op(int index, String op, List<String> path, String rawPath, List<String> from, String rawFrom,
            JsonNode value) {
    }

    private final List<Op> ops;

    private JsonPatch(List<Op> ops) {
        this.ops = ops;
    }

    @Override
    public String mediaType() {
        return MEDIA_TYPE;
    }

    /** Parses and checks a patch document; syntax errors are 400s naming the operation at fault. */
    public static JsonPatch parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw FhirException.invalid("the JSON Patch body is empty; send an array of operations");
        }
        dev.fhirbolt.fhir.JsonBodyCheck.check(body);
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new FhirException(400, IssueType.STRUCTURE, "the JSON Patch body is not valid JSON: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), null, e);
        }
        if (root == null || !root.isArray()) {
            throw FhirException.invalid("a JSON Patch document must be a JSON array of operations");
        }
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode node = root.get(i);
            if (!node.isObject()) {
                throw invalidOp(i, "is not a JSON object");
            }
            String op = text(node, "op", i);
            String path = text(node, "path", i);
            String from = null;
            JsonNode value = null;
            switch (op) {
                case "add", "replace", "test" -> {
                    if (!node.has("value")) {
                        throw invalidOp(i, "('" + op + "') needs a 'value'");
                    }
                    value = node.get("value");
                }
                case "remove" -> {
                }
                case "move", "copy" -> from = text(node, "from", i);
                default -> throw invalidOp(i, "has unknown op '" + op
                        + "'; use add, remove, replace, move, copy or test");
            }
            ops.add(new Op(i, op, pointer(path, i), path, from == null ? null : pointer(from, i), from, value));
        }
        return new JsonPatch(ops);
    }

    private static String text(JsonNode node, String field, int index) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw invalidOp(index, "needs a string '" + field + "'");
        }
        return v.asText();
    }

    private static FhirException invalidOp(int index, String what) {
        return FhirException.invalid("JSON Patch operation " + index + " " + what);
    }

    /** RFC 6901: "" is the whole document, "/a/0/b~1c" names a, 0, b/c. */
    static List<String> pointer(String pointer, int index) {
        if (pointer.isEmpty()) {
            return List.of();
        }
        if (!pointer.startsWith("/")) {
            throw invalidOp(index, "has path '" + pointer + "' which is not a JSON Pointer (it must start with /)");
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : pointer.substring(1).split("/", -1)) {
            if (raw.matches(".*~[^01].*|.*~$")) {
                throw invalidOp(index, "has path '" + pointer + "' with a bad escape (only ~0 and ~1 are allowed)");
            }
            tokens.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    @Override
    public Resource apply(ResourceVersion current) {
        JsonNode doc;
        try {
            doc = MAPPER.readTree(current.json());
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON of " + current.type() + "/" + current.id()
                    + " is unreadable", e);
        }
        JsonNode result = applyTo(doc);
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return PatchResults.validate(bytes, current);
    }

    /** Applies every operation in order to (a copy of) the document. */
    JsonNode applyTo(JsonNode document) {
        JsonNode doc = document.deepCopy();
        for (Op op : ops) {
            doc = switch (op.op()) {
                case "add" -> add(doc, op.path(), op.value().deepCopy(), op);
                case "remove" -> remove(doc, op.path(), op);
                case "replace" -> {
                    JsonNode afterRemove = remove(doc, op.path(), op);
                    yield add(afterRemove, op.path(), op.value().deepCopy(), op);
                }
                case "move" -> {
                    if (isProperPrefix(op.from(), op.path())) {
                        throw cannotApply(op, "cannot move '" + op.rawFrom() + "' into its own child '"
                                + op.rawPath() + "'");
                    }
                    JsonNode value = get(doc, op.from(), op, op.rawFrom());
                    JsonNode afterRemove = remove(doc, op.from(), op);
                    yield add(afterRemove, op.path(), value, op);
                }
                case "copy" -> add(doc, op.path(), get(doc, op.from(), op, op.rawFrom()).deepCopy(), op);
                case "test" -> {
                    JsonNode actual = get(doc, op.path(), op, op.rawPath());
                    if (!jsonEquals(actual, op.value())) {
                        throw cannotApply(op, "test failed: '" + op.rawPath() + "' is " + actual + ", not "
                                + op.value());
                    }
                    yield doc;
                }
                default -> throw new IllegalStateException(op.op());
            };
        }
        return doc;
    }

    private static boolean isProperPrefix(List<String> prefix, List<String> path) {
        return prefix.size() < path.size() && path.subList(0, prefix.size()).equals(prefix);
    }

    private static JsonNode get(JsonNode doc, List<String> path, Op op, String raw) {
        JsonNode node = doc;
        for (String token : path) {
            node = child(node, token);
            if (node == null) {
                throw cannotApply(op, "the path '" + raw + "' does not exist in the resource");
            }
        }
        return node;
    }

    private static JsonNode child(JsonNode node, String token) {
        if (node.isObject()) {
            return node.get(token);
        }
        if (node.isArray()) {
            int i = arrayIndex(token);
            return i >= 0 && i < node.size() ? node.get(i) : null;
        }
        return null;
    }

    private static int arrayIndex(String token) {
        if (!token.matches("0|[1-9][0-9]{0,8}")) {
            return -1;
        }
        return Integer.parseInt(token);
    }

    private static JsonNode add(JsonNode doc, List<String> path, JsonNode value, Op op) {
        if (path.isEmpty()) {
            return value;
        }
        JsonNode parent = get(doc, path.subList(0, path.size() - 1), op, op.rawPath());
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            if (last.equals("-")) {
                array.add(value);
            } else {
                int i = arrayIndex(last);
                if (i < 0 || i > array.size()) {
                    throw cannotApply(op, "index '" + last + "' of '" + op.rawPath() + "' is outside the array (size "
                            + array.size() + ")");
                }
                array.insert(i, value);
            }
        } else {
            throw cannotApply(op, "the parent of '" + op.rawPath() + "' is not an object or array");
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, List<String> path, Op op) {
        if (path.isEmpty()) {
            throw cannotApply(op, "cannot remove the whole resource");
        }
        String raw = op.op().equals("move") ? op.rawFrom() : op.rawPath();
        JsonNode parent = get(doc, path.subList(0, path.size() - 1), op, raw);
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object && object.has(last)) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array && arrayIndex(last) >= 0 && arrayIndex(last) < array.size()) {
            array.remove(arrayIndex(last));
        } else {
            throw cannotApply(op, "the path '" + raw + "' does not exist in the resource");
        }
        return doc;
    }

    /** JSON equality where numbers compare by value (1 equals 1.0), as RFC 6902 'test' asks. */
    static boolean jsonEquals(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText())) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode other = b.get(e.getKey());
                if (other == null || !jsonEquals(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!jsonEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static FhirException cannotApply(Op op, String message) {
        return new FhirException(422, IssueType.PROCESSING, "JSON Patch operation " + op.index() + " ("
                + op.op() + "): " + message);
    }
}
