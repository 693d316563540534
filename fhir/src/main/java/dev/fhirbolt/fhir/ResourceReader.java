package dev.fhirbolt.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.JsonParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Turns request bodies into R4 model objects with structural validation: malformed syntax, unknown elements, wrong
 * primitive formats and unknown resource types are rejected with a message a person can act on.
 */
public final class ResourceReader {

    private ResourceReader() {
    }

    /**
     * A JSON body is read into a Jackson tree first and HAPI builds the model from that tree, exactly as it does from
     * a body (same settings, same checks, same errors; bodies the tree reader is unsure of go to HAPI as they are).
     * The tree is kept on the resource, or for a Bundle on each entry's resource ({@link ResourceJson}), so that
     * its stored JSON can be written without HAPI's encoder.
     */
    public static Resource read(byte[] body, FhirFormat format) {
        if (body == null || body.length == 0) {
            throw FhirException.invalid("the request needs a body holding a FHIR resource");
        }
        if (format == FhirFormat.JSON) {
            JsonBodyCheck.check(body);
        } else {
            XmlNamespaceCheck.check(body);
        }
        ObjectNode tree = format == FhirFormat.JSON ? JsonTrees.read(body) : null;
        IParser parser = tree != null ? new TreeParser(tree) : strictParser(format);
        try (var reader = new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8)) {
            var parsed = parser.parseResource(reader);
            if (!(parsed instanceof Resource resource)) {
                throw FhirException.invalid("the body is not a FHIR R4 resource");
            }
            if (tree != null) {
                keepTrees(resource, tree);
            }
            return resource;
        } catch (DataFormatException e) {
            throw new FhirException(400, IssueType.STRUCTURE, "the " + format.name() + " body is not a valid FHIR R4"
                    + " resource: " + clean(e.getMessage()), null, e);
        } catch (java.io.IOException e) {
            throw new FhirException(400, IssueType.STRUCTURE, "the body could not be read", null, e);
        }
    }

    /** Parses bytes this server stored itself: they were validated on the way in, so no strict checks. */
    public static Resource readStored(byte[] json) {
        return (Resource) Fhir.context().newJsonParser().parseResource(
                new InputStreamReader(new ByteArrayInputStream(json), StandardCharsets.UTF_8));
    }

    /** HAPI's strict JSON parser reading a tree already built instead of the body (which it then does not touch). */
    private static final class TreeParser extends JsonParser {

        private final ObjectNode tree;

        TreeParser(ObjectNode tree) {
            super(Fhir.context(), new StrictErrorHandler());
            this.tree = tree;
        }

        @Override
        public <T extends IBaseResource> T doParseResource(Class<T> type, Reader ignored) {
            JacksonStructure structure = new JacksonStructure();
            structure.setNativeObject(tree);
            return doParseResource(type, structure);
        }
    }

    /**
     * Keeps each tree with the resource parsed from it: a Bundle's entries (a batch or transaction stores them), any
     * other resource itself. A Bundle whose entries do not line up with the tree's keeps none.
     */
    private static void keepTrees(Resource resource, ObjectNode tree) {
        if (!(resource instanceof Bundle bundle)) {
            ResourceJson.attach(resource, tree);
            return;
        }
        JsonNode entries = tree.path("entry");
        if (!entries.isArray() || entries.size() != bundle.getEntry().size()) {
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            Resource entryResource = bundle.getEntry().get(i).getResource();
            if (entryResource != null && entries.get(i).get("resource") instanceof ObjectNode entryTree
                    && entryResource.fhirType().equals(entryTree.path("resourceType").asText())) {
                ResourceJson.attach(entryResource, entryTree);
            }
        }
    }

    private static IParser strictParser(FhirFormat format) {
        IParser parser = format == FhirFormat.XML ? Fhir.context().newXmlParser() : Fhir.context().newJsonParser();
        parser.setParserErrorHandler(new StrictErrorHandler());
        return parser;
    }

    /** HAPI prefixes messages with internal codes like "HAPI-1861: "; users need only the sentence. */
    static String clean(String message) {
        if (message == null) {
            return "unreadable content";
        }
        String cleaned = message.replaceAll("HAPI-\\d+: ", "");
        var location = java.util.regex.Pattern.compile(
                "DataFormatException at \\[Line number = (\\d+)\\s+Column number = (\\d+)[^\\]]*\\]:?\\s*",
                java.util.regex.Pattern.DOTALL).matcher(cleaned);
        if (location.find()) {
            cleaned = location.replaceFirst("at line $1, column $2: ");
        }
        return cleaned.replace("DataFormatException", "format error");
    }
}
