package dev.fhirbolt.terminology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionDesignationComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.StringType;

/**
 * A concept of a streamed upload as stored in {@link ConceptStore}: the concept's own JSON (as FHIR writes it, without
 * nested {@code concept}s) plus {@value #NESTED_IN}, the ordinal of the concept it was nested in. Read back into
 * HAPI's model, checked as strictly as the parser would: unknown elements and values of the wrong JSON type are
 * refused with a message naming them.
 */
final class ConceptRecords {

    /** The ordinal of the concept a nested concept was nested in (not a FHIR element: FHIR names never hold '@'). */
    static final String NESTED_IN = "@nestedIn";
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> CONCEPT = Set.of("id", "extension", "modifierExtension", "code", "display",
            "definition", "designation", "property", NESTED_IN);
    private static final Set<String> DESIGNATION = Set.of("id", "extension", "modifierExtension", "language", "use",
            "value");
    private static final Set<String> CODING = Set.of("id", "extension", "system", "version", "code", "display",
            "userSelected");

    private ConceptRecords() {
    }

    static ConceptDefinitionComponent read(byte[] record, boolean withDefinition) {
        try {
            return read(JSON.readTree(record), withDefinition);
        } catch (IOException e) {
            throw new IllegalStateException("a stored concept is not JSON", e);
        }
    }

    /**
     * The concept in HAPI's model: code, display, designations and properties, and its definition when asked for
     * (an index leaves definitions in the store: they are most of a large code system's bytes).
     */
    static ConceptDefinitionComponent read(JsonNode c, boolean withDefinition) {
        ConceptDefinitionComponent out = new ConceptDefinitionComponent();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            if (name.startsWith("_") || name.equals("extension") || name.equals("modifierExtension")
                    || name.equals("id") || name.equals(NESTED_IN)) {
                continue; // primitive extensions and extensions are kept in the record, not in the index
            }
            if (!CONCEPT.contains(name)) {
                throw new IllegalArgumentException("unknown element '" + name + "' in a concept");
            }
            JsonNode v = f.getValue();
            switch (name) {
                case "code" -> out.setCode(code(v, "concept.code"));
                case "display" -> out.setDisplay(text(v, "concept.display"));
                case "definition" -> {
                    String d = text(v, "concept.definition");
                    if (withDefinition) {
                        out.setDefinition(d);
                    }
                }
                case "designation" -> {
                    for (JsonNode d : array(v, "concept.designation")) {
                        out.addDesignation(designation(d));
                    }
                }
                case "property" -> {
                    for (JsonNode p : array(v, "concept.property")) {
                        out.addProperty(property(p));
                    }
                }
                default -> {
                }
            }
        }
        if (!out.hasCode()) {
            throw new IllegalArgumentException("a concept has no code");
        }
        return out;
    }

    /** The ordinal a nested concept was nested in, or -1. */
    static int nestedIn(JsonNode c) {
        JsonNode n = c.get(NESTED_IN);
        return n == null ? -1 : n.asInt();
    }

    private static ConceptDefinitionDesignationComponent designation(JsonNode d) {
        object(d, "concept.designation");
        ConceptDefinitionDesignationComponent out = new ConceptDefinitionDesignationComponent();
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            if (name.startsWith("_")) {
                continue;
            }
            if (!DESIGNATION.contains(name)) {
                throw new IllegalArgumentException("unknown element '" + name + "' in concept.designation");
            }
            switch (name) {
                case "language" -> out.setLanguage(code(f.getValue(), "concept.designation.language"));
                case "use" -> out.setUse(coding(f.getValue(), "concept.designation.use"));
                case "value" -> out.setValue(text(f.getValue(), "concept.designation.value"));
                default -> {
                }
            }
        }
        if (!out.hasValue()) {
            throw new IllegalArgumentException("a concept.designation has no value");
        }
        return out;
    }

    private static ConceptPropertyComponent property(JsonNode p) {
        object(p, "concept.property");
        ConceptPropertyComponent out = new ConceptPropertyComponent();
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.startsWith("_") || name.equals("id") || name.equals("extension")
                    || name.equals("modifierExtension")) {
                continue;
            }
            switch (name) {
                case "code" -> out.setCode(code(v, "concept.property.code"));
                case "valueCode" -> out.setValue(new CodeType(code(v, "concept.property.valueCode")));
                case "valueString" -> out.setValue(new StringType(text(v, "concept.property.valueString")));
                case "valueCoding" -> out.setValue(coding(v, "concept.property.valueCoding"));
                case "valueBoolean" -> {
                    if (!v.isBoolean()) {
                        throw wrong("concept.property.valueBoolean", "true or false");
                    }
                    out.setValue(new BooleanType(v.booleanValue()));
                }
                case "valueInteger" -> {
                    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                        throw wrong("concept.property.valueInteger", "an integer");
                    }
                    out.setValue(new IntegerType(v.intValue()));
                }
                case "valueDecimal" -> {
                    if (!v.isNumber()) {
                        throw wrong("concept.property.valueDecimal", "a number");
                    }
                    out.setValue(new DecimalType(v.decimalValue()));
                }
                case "valueDateTime" -> {
                    try {
                        out.setValue(new DateTimeType(text(v, "concept.property.valueDateTime")));
                    } catch (RuntimeException e) {
                        throw wrong("concept.property.valueDateTime", "a dateTime");
                    }
                }
                default -> throw new IllegalArgumentException("unknown element '" + name + "' in concept.property");
            }
        }
        if (!out.hasCode() || !out.hasValue()) {
            throw new IllegalArgumentException("a concept.property needs a code and a value[x]");
        }
        return out;
    }

    private static Coding coding(JsonNode v, String path) {
        object(v, path);
        Coding out = new Coding();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            if (name.startsWith("_") || name.equals("id") || name.equals("extension")) {
                continue;
            }
            if (!CODING.contains(name)) {
                throw new IllegalArgumentException("unknown element '" + name + "' in " + path);
            }
            switch (name) {
                case "system" -> out.setSystem(text(f.getValue(), path + ".system"));
                case "version" -> out.setVersion(text(f.getValue(), path + ".version"));
                case "code" -> out.setCode(code(f.getValue(), path + ".code"));
                case "display" -> out.setDisplay(text(f.getValue(), path + ".display"));
                default -> {
                }
            }
        }
        return out;
    }

    private static String code(JsonNode v, String path) {
        String s = text(v, path);
        if (s.isEmpty() || !s.equals(s.strip()) || s.contains("  ") || s.chars().anyMatch(ch -> ch == '\n'
                || ch == '\r' || ch == '\t')) {
            throw wrong(path, "a code (no leading, trailing or repeated whitespace)");
        }
        return s;
    }

    private static String text(JsonNode v, String path) {
        if (!v.isTextual()) {
            throw wrong(path, "a string");
        }
        return v.textValue();
    }

    private static Iterable<JsonNode> array(JsonNode v, String path) {
        if (!v.isArray()) {
            throw wrong(path, "an array");
        }
        return v;
    }

    private static void object(JsonNode v, String path) {
        if (!v.isObject()) {
            throw wrong(path, "an object");
        }
    }

    private static IllegalArgumentException wrong(String path, String what) {
        return new IllegalArgumentException(path + " must be " + what);
    }
}
