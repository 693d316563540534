package dev.fhirbolt.app.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Splits a transaction Bundle too large for the server into smaller transactions that together store the same
 * resources, reading the Bundle entry by entry (never its whole tree). Each entry that creates a resource under a
 * {@code urn:uuid:} fullUrl ({@code POST}, no {@code ifNoneExist}) becomes {@code PUT Type/uuid} with that id, and
 * every reference to the fullUrl becomes {@code Type/uuid}, so entries in different parts still point at each other
 * (the form HAPI and other servers accept for client-assigned ids). Other entries go as they are. A Bundle where
 * another entry's fullUrl is referenced cannot be split without changing its meaning, and is not.
 *
 * <p>Each part commits on its own: a failure leaves the earlier parts stored (the loader says which).
 */
final class TransactionSplitter {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = MAPPER.getFactory();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final String UUID_PREFIX = "urn:uuid:";

    /** Receives each part: a transaction Bundle, the index of its first entry in the original, its entry count. */
    interface PartSink {
        void accept(byte[] bundle, int firstEntry, int entries) throws Exception;
    }

    private final int maxEntries;
    private final long maxBytes;

    TransactionSplitter(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /**
     * Splits {@code bundle} into parts handed to {@code sink} in order. Empty when it cannot be split (not a
     * transaction, or references to fullUrls that are not {@code urn:uuid:} creations); else the number of parts.
     */
    Optional<Integer> split(byte[] bundle, PartSink sink) throws Exception {
        Map<String, String> targets = new HashMap<>();
        boolean[] splittable = {true};
        String type = scan(bundle, (index, entry) -> {
            String fullUrl = entry.path("fullUrl").asText(null);
            String target = target(entry);
            if (target != null) {
                targets.put(fullUrl, target);
            } else if (fullUrl != null && !fullUrl.isEmpty()) {
                splittable[0] = false;
            }
        });
        if (!"transaction".equals(type) || !splittable[0]) {
            return Optional.empty();
        }
        Part part = new Part();
        int[] parts = {0};
        scan(bundle, (index, entry) -> {
            String target = target(entry);
            if (target != null) {
                int slash = target.indexOf('/');
                ((ObjectNode) entry.get("resource")).put("id", target.substring(slash + 1));
                ObjectNode request = (ObjectNode) entry.get("request");
                request.put("method", "PUT");
                request.put("url", target);
                ((ObjectNode) entry).remove("fullUrl");
            }
            rewrite(entry, targets);
            byte[] bytes = MAPPER.writeValueAsBytes(entry);
            if (part.entries > 0 && (part.entries >= maxEntries || part.bytes() + bytes.length > maxBytes)) {
                sink.accept(part.finish(), part.first, part.entries);
                parts[0]++;
                part.reset(index);
            }
            part.add(index, bytes);
        });
        if (part.entries > 0) {
            sink.accept(part.finish(), part.first, part.entries);
            parts[0]++;
        }
        return Optional.of(parts[0]);
    }

    /** {@code Type/uuid} for an entry that creates a resource under a urn:uuid fullUrl; null for any other. */
    private static String target(JsonNode entry) {
        String fullUrl = entry.path("fullUrl").asText("");
        JsonNode request = entry.path("request");
        JsonNode resource = entry.path("resource");
        if (!fullUrl.startsWith(UUID_PREFIX) || !"POST".equals(request.path("method").asText())
                || request.hasNonNull("ifNoneExist") || !resource.isObject()) {
            return null;
        }
        String id = fullUrl.substring(UUID_PREFIX.length());
        String type = resource.path("resourceType").asText("");
        if (!ID.matcher(id).matches() || type.isEmpty() || !type.equals(request.path("url").asText())) {
            return null;
        }
        return type + "/" + id;
    }

    /** Every {@code reference} naming a split entry's fullUrl now names the resource. */
    private static void rewrite(JsonNode node, Map<String, String> targets) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (field.getKey().equals("reference") && value.isTextual()) {
                    String target = targets.get(value.asText());
                    if (target != null) {
                        field.setValue(TextNode.valueOf(target));
                    }
                } else {
                    rewrite(value, targets);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                rewrite(item, targets);
            }
        }
    }

    private interface EntryVisitor {
        void visit(int index, JsonNode entry) throws Exception;
    }

    /** Visits each entry's tree, one at a time; returns Bundle.type when it came before the entries, or after. */
    private static String scan(byte[] bundle, EntryVisitor visitor) throws Exception {
        String type = null;
        try (JsonParser p = JSON.createParser(bundle)) {
            p.setCodec(MAPPER);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("type") && value == JsonToken.VALUE_STRING) {
                    type = p.getText();
                } else if (name.equals("entry") && value == JsonToken.START_ARRAY) {
                    int index = 0;
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        JsonNode entry = p.readValueAsTree();
                        visitor.visit(index++, entry);
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return type;
    }

    /** The part being filled. */
    private static final class Part {
        private static final byte[] HEAD = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        int first;
        int entries;

        Part() {
            out.writeBytes(HEAD);
        }

        long bytes() {
            return out.size();
        }

        void add(int index, byte[] entry) {
            if (entries == 0) {
                first = index;
            } else {
                out.write(',');
            }
            out.writeBytes(entry);
            entries++;
        }

        byte[] finish() {
            out.write(']');
            out.write('}');
            return out.toByteArray();
        }

        void reset(int index) {
            out.reset();
            out.writeBytes(HEAD);
            entries = 0;
            first = index;
        }
    }
}
