package dev.fhirbolt.search.param;

import ca.uhn.fhir.context.RuntimeSearchParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fhirbolt.fhir.Fhir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The R4 search parameters HAPI ships (the spec's definitions), plus the few common ones it lacks. They are read from
 * {@link #RESOURCE}, one JSON line per parameter, rather than from HAPI's model: getting them from there scans every
 * resource type, 1.5–2 s of CPU at each start-up. {@code BuiltinParamsTableTest} keeps the file equal to that scan.
 */
final class BuiltinParams {

    static final String RESOURCE = "builtin-params.ndjson";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BuiltinParams() {
    }

    /** Per resource type, its parameters by code, as listed in {@link #RESOURCE}. */
    static Map<String, Map<String, ParamDef>> load() {
        try (var in = BuiltinParams.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            List<JsonNode> lines = new ArrayList<>();
            // one parser over the whole file (its lines are JSON values one after another), not one per line
            try (var values = JSON.readerFor(JsonNode.class).<JsonNode>readValues(in)) {
                values.forEachRemaining(lines::add);
            }
            return parse(lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Per resource type, its parameters by code, from HAPI's model (what {@link #RESOURCE} is made of). */
    static Map<String, Map<String, ParamDef>> scan() {
        Map<String, Map<String, ParamDef>> byType = new LinkedHashMap<>();
        for (String type : Fhir.resourceTypes()) {
            Map<String, ParamDef> params = new LinkedHashMap<>();
            for (RuntimeSearchParam sp : Fhir.context().getResourceDefinition(type).getSearchParams()) {
                if (sp.getPath() == null || sp.getPath().isBlank() || sp.getParamType() == null) {
                    continue;
                }
                params.put(sp.getName(), convert(sp, type));
            }
            params.putIfAbsent("_source", new ParamDef("_source", ParamType.URI,
                    "http://hl7.org/fhir/SearchParameter/Resource-source", "Identifies where the resource comes from",
                    Set.of("Resource"), "Resource.meta.source", Set.of(), Set.of(), List.of()));
            byType.put(type, params);
        }
        return byType;
    }

    /** The lines of {@link #RESOURCE} for {@code byType}: sets sorted, so that the same definitions give the same text. */
    static String write(Map<String, Map<String, ParamDef>> byType) {
        StringBuilder out = new StringBuilder();
        byType.forEach((type, params) -> params.values().forEach(p -> {
            ObjectNode line = JSON.createObjectNode().put("resource", type).put("code", p.code())
                    .put("type", p.type().code()).put("url", p.url()).put("description", p.description())
                    .put("expression", p.expression());
            strings(line.putArray("base"), p.base());
            strings(line.putArray("targets"), p.targets());
            strings(line.putArray("compartments"), p.compartments());
            ArrayNode components = line.putArray("components");
            p.components().forEach(c -> components.addObject().put("definition", c.definition())
                    .put("expression", c.expression()));
            out.append(line).append('\n');
        }));
        return out.toString();
    }

    static Map<String, Map<String, ParamDef>> parse(Stream<String> lines) {
        return parse(lines.filter(l -> !l.isBlank()).map(BuiltinParams::read).toList());
    }

    private static Map<String, Map<String, ParamDef>> parse(List<JsonNode> lines) {
        Map<String, Map<String, ParamDef>> byType = new LinkedHashMap<>();
        lines.forEach(n -> {
            List<ParamDef.Component> components = new ArrayList<>();
            n.get("components").forEach(c -> components.add(new ParamDef.Component(text(c, "definition"),
                    text(c, "expression"))));
            ParamDef p = new ParamDef(text(n, "code"), ParamType.ofCode(text(n, "type")), text(n, "url"),
                    text(n, "description"), strings(n.get("base")), text(n, "expression"),
                    strings(n.get("targets")), strings(n.get("compartments")), components);
            byType.computeIfAbsent(text(n, "resource"), t -> new LinkedHashMap<>()).put(p.code(), p);
        });
        return byType;
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static void strings(ArrayNode array, Collection<String> values) {
        new TreeSet<>(values).forEach(array::add);
    }

    private static ParamDef convert(RuntimeSearchParam sp, String type) {
        List<ParamDef.Component> components = new ArrayList<>();
        for (RuntimeSearchParam.Component c : sp.getComponents()) {
            components.add(new ParamDef.Component(c.getReference(), c.getExpression()));
        }
        Set<String> base = sp.getBase() == null || sp.getBase().isEmpty() ? Set.of(type) : sp.getBase();
        Set<String> compartments = sp.getProvidesMembershipInCompartments() == null ? Set.of()
                : new HashSet<>(sp.getProvidesMembershipInCompartments());
        return new ParamDef(sp.getName(), ParamType.ofCode(sp.getParamType().getCode()), sp.getUri(),
                sp.getDescription() == null ? "" : sp.getDescription(), base, sp.getPath(),
                sp.getTargets() == null ? Set.of() : sp.getTargets(), compartments, components);
    }
}
